package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.JsonFileOption;
import org.likeness.cli.UserException;

import org.likeness.json.Json;
import org.likeness.eval.ImpostorCalibration;
import org.likeness.eval.LabelledFaces;
import org.likeness.eval.PersonSplit;
import org.likeness.eval.ThresholdRates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code likeness eval calibrate --images ROOT [--split tuning|evaluation|all] [--fmr F,...]}: thresholds calibrated on
 * every cross-identity pair of one half of a person/photo folder, then measured, pair by pair, on the other half (the
 * people not calibrated on), so the transfer of the calibration is seen (docs/BENCHMARKS.md, "Calibration").
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Similarity threshold for a false-match rate over every cross-identity pair of one half of a person/photo folder, measured on the other half.")
final class CalibrateCommand extends BaseCommand {
    @Option(names = "--fmr", split = ",", paramLabel = "F", description = "Target false-match rates, comma-separated (default 1e-4).")
    List<Double> fmrs = List.of(1e-4);
    @Option(names = "--split", paramLabel = "HALF", defaultValue = "tuning",
            description = "People calibrated on: tuning (default; the thresholds are then measured on the evaluation half), evaluation (measured on the tuning half) or all (nothing held out). Halves: eval.PersonSplit.")
    String split;
    @Mixin
    JsonFileOption jsonOut;
    @Mixin
    LabelledSetOptions set;

    @Override
    public Integer call() throws IOException {
        PersonSplit half = SplitOption.parse(split);
        PersonSplit other = switch (half) {
            case TUNING -> PersonSplit.EVALUATION;
            case EVALUATION -> PersonSplit.TUNING;
            case ALL -> null;
        };
        LabelledFaces faces = new LabelledFaces(half);
        LabelledFaces heldOut = new LabelledFaces(other == null ? PersonSplit.ALL : other);
        String embedder = set.collect(err(), r -> {
            faces.accept(r);
            if (other != null) {
                heldOut.accept(r);
            }
        });
        if (faces.vectors().size() < 2) {
            throw new UserException(set.images + ": fewer than 2 faces in the " + half.label() + " half; nothing to calibrate on");
        }
        List<ImpostorCalibration> points = ImpostorCalibration.compute(faces.vectors(), faces.labels(), fmrs);
        float[] thresholds = new float[points.size()];
        for (int i = 0; i < thresholds.length; i++) {
            thresholds[i] = rounded(points.get(i).threshold());
        }
        List<ThresholdRates> transfer = other == null ? null : ThresholdRates.measure(heldOut.vectors(), heldOut.labels(), thresholds);
        List<Map<String, Object>> json = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            ImpostorCalibration c = points.get(i);
            out().printf(Locale.ROOT, "embedder %s, %s: threshold %.4f for FMR ≤ %.0e  (measured FMR %.2e over %d impostor pairs%s; TAR %.4f over %d genuine pairs; %d people, %d faces, %d images without a face)%n",
                    embedder, half == PersonSplit.ALL ? "all people" : half.label() + " half", c.threshold(), c.target(), c.fmr(), c.impostors(),
                    c.resolved() ? "" : ", NOT resolved: < " + (int) ImpostorCalibration.MIN_RESOLVED_FALSE_MATCHES + " false matches allowed",
                    c.tar(), c.genuine(), faces.people(), faces.vectors().size(), faces.noFace());
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("embedder", embedder);
            o.put("images", set.images.toString());
            o.put("split", half.label());
            o.put("target_fmr", c.target());
            o.put("threshold", thresholds[i]);
            o.put("measured_fmr", c.fmr());
            o.put("resolved", c.resolved());
            o.put("impostor_pairs", c.impostors());
            o.put("genuine_pairs", c.genuine());
            o.put("tar", c.tar());
            o.put("people", faces.people());
            o.put("faces", faces.vectors().size());
            o.put("no_face", faces.noFace());
            if (transfer != null) {
                ThresholdRates t = transfer.get(i);
                out().printf(Locale.ROOT, "  on the %s half (not calibrated on): FMR %.2e (%d of %d impostor pairs), TAR %.4f (%d of %d genuine pairs; %d people, %d faces, %d images without a face)%n",
                        other.label(), t.fmr(), t.falseMatches(), t.impostors(), t.tar(), t.trueMatches(), t.genuine(),
                        heldOut.people(), heldOut.vectors().size(), heldOut.noFace());
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("split", other.label());
                h.put("measured_fmr", t.fmr());
                h.put("false_matches", t.falseMatches());
                h.put("impostor_pairs", t.impostors());
                h.put("tar", t.tar());
                h.put("true_matches", t.trueMatches());
                h.put("genuine_pairs", t.genuine());
                h.put("people", heldOut.people());
                h.put("faces", heldOut.vectors().size());
                h.put("no_face", heldOut.noFace());
                o.put("held_out", h);
            }
            json.add(o);
        }
        if (jsonOut.file() != null) {
            Json.PRETTY.writeValue(jsonOut.file().toFile(), json.size() == 1 ? json.get(0) : json);
        }
        return ExitCodes.OK;
    }

    /** The threshold as printed and as a {@code MatchThreshold} constant is written: 4 decimals (the bin width). */
    static float rounded(double threshold) {
        return (float) (Math.round(threshold * 1e4) / 1e4);
    }

}
