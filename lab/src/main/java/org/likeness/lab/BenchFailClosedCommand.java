package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.ScanCommand;
import org.likeness.cli.UserException;

import org.likeness.eval.CohortNorm;
import org.likeness.eval.FailClosedEval;
import org.likeness.eval.FailClosedEval.Calibration;
import org.likeness.eval.FailClosedEval.Gallery;
import org.likeness.eval.FailClosedEval.Impostors;
import org.likeness.eval.FailClosedEval.LabelledFace;
import org.likeness.eval.FailClosedEval.Outcome;
import org.likeness.eval.FailClosedEval.Ranks;
import org.likeness.eval.FailClosedEval.Scoring;
import org.likeness.eval.NormImpostors;
import org.likeness.eval.PersonSplit;
import org.likeness.face.ProbeGate;
import org.likeness.registry.MatchPolicy;
import org.likeness.scan.ScanFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code likeness bench failclosed SCAN}: the fail-closed target (docs/BENCHMARKS.md "Fail closed"). In one half of a
 * labelled scan every other person with ≥ 2 photos is enrolled from their first photos and consents; everyone else is
 * a stranger. A stranger identified as some subject would be reported as consented (must stay ≤ 0.1 %); an enrolled
 * person's other photo should be recognised. The threshold comes from the tuning half's impostor pairs only.
 */
@Command(name = "failclosed", mixinStandardHelpOptions = true,
        description = "How many strangers the registry would identify as a consenting subject, and how many photos of enrolled people it recognises.")
final class BenchFailClosedCommand extends BaseCommand {
    /** The target share of enrolled people's other photos recognised (docs/BENCHMARKS.md "Fail closed"). */
    static final double TARGET_RECOGNISED = 0.95;
    /** Cohort size of --norm: chosen by --tune-norm on the tuning half (docs/BENCHMARKS.md "Score normalisation"). */
    static final int DEFAULT_COHORT = 500;
    /** Adaptive cohort top of --norm (0: whole cohort): chosen by --tune-norm on the tuning half (same section). */
    static final int DEFAULT_COHORT_TOP = 0;
    /** Cohort sizes --tune-norm tries (the tuning half of lfw-dev has 1,430 people). */
    static final int[] TUNE_COHORTS = {250, 500, 1000};
    /** Adaptive tops --tune-norm tries (0: whole cohort). */
    static final int[] TUNE_TOPS = {0, 50, 200};

    @Parameters(index = "0", description = "Scan file of a labelled person/photo folder (e.g. of lfw-dev).")
    Path scan;
    @Option(names = "--split", paramLabel = "HALF", defaultValue = "evaluation",
            description = "Half measured: tuning, evaluation (default) or all. The threshold is always calibrated on the tuning half.")
    String split;
    @Option(names = "--enrol-photos", paramLabel = "K", defaultValue = "3",
            description = "Photos enrolled per consenting person (at most their count - 1; default 3).")
    int enrolPhotos;
    @Option(names = "--subjects", paramLabel = "N", split = ",", defaultValue = "0,1000",
            description = "Gallery sizes; 0 = every other person of the half with >= 2 photos; larger galleries are filled with people of the other half (enrolled, never probed). Default 0,1000.")
    List<Integer> sizes;
    @Option(names = "--scoring", paramLabel = "RULE", defaultValue = "max",
            description = "Subject score over its templates: max (default) or quality_weighted_mean.")
    String scoring;
    @Option(names = "--gate", paramLabel = "GATE", defaultValue = "default",
            description = "Probe quality gate: default (ProbeGate.DEFAULT) or none.")
    String gate;
    @Option(names = "--fmr", paramLabel = "F",
            description = "Per-comparison FMR of the threshold instead of the gallery-size rule (0.1 % / templates).")
    Double fixedFmr;
    @Option(names = "--margin", paramLabel = "M",
            description = "Lead over the runner-up subject a match needs (default: the registry's, MatchPolicy.PROVISIONAL_MARGIN = 0.05).")
    Double margin;
    @Option(names = "--vectors", paramLabel = "CACHE",
            description = "Replace each face's vector by a bake-off variant's (`bench bakeoff --embedders … --cache CACHE`); with --variant.")
    Path vectors;
    @Option(names = "--variant", paramLabel = "NAME", description = "Variant of the --vectors cache, as `bench bakeoff` names it.")
    String variant;
    @Option(names = "--norm", paramLabel = "MODE", defaultValue = "none",
            description = "Score normalisation against a cohort of tuning-half strangers: none (default), z (template side), t (probe side), s (symmetric) or c (template side, centred only).")
    String norm;
    @Option(names = "--cohort", paramLabel = "N", defaultValue = "" + DEFAULT_COHORT,
            description = "Cohort size for --norm: one face each of N tuning-half people (default ${DEFAULT-VALUE}, chosen on the tuning half by --tune-norm).")
    int cohortSize;
    @Option(names = "--cohort-top", paramLabel = "K", defaultValue = "" + DEFAULT_COHORT_TOP,
            description = "0: the whole cohort's mean and deviation; K > 0: those of the K best cohort scores (adaptive). Default ${DEFAULT-VALUE}.")
    int cohortTop;
    @Option(names = "--tune-norm", description = "On the tuning half: every normalisation of the grid (mode x cohort x top), and the best.")
    boolean tuneNorm;
    @Option(names = "--tune-gate", description = "On the tuning half: try every gate of the grid and print the best (ProbeGate.MAX_NOT_ASSESSABLE).")
    boolean tuneGate;

    @Override
    public Integer call() throws IOException {
        FailClosedEval.Collector faces = new FailClosedEval.Collector();
        ScanFile.read(scan, faces, ScanCommand.problems(err(), scan));
        if (vectors != null) {
            int before = faces.faces().size();
            faces = withVariant(faces);
            out().printf(Locale.ROOT, "vectors: %s of %s (%d of %d faces found in it)%n", variant, vectors, faces.faces().size(), before);
        }
        PersonSplit half = PersonSplit.parse(split);
        Scoring rule = Scoring.valueOf(scoring.toUpperCase(Locale.ROOT));
        ProbeGate probeGate = switch (gate) {
            case "default" -> ProbeGate.DEFAULT;
            case "none" -> ProbeGate.NONE;
            default -> throw new UserException("--gate must be default or none, not " + gate);
        };
        Map<String, List<LabelledFace>> tuning = faces.half(PersonSplit.TUNING);
        CohortNorm.Mode mode = CohortNorm.Mode.parse(norm);
        if (tuneNorm || mode != CohortNorm.Mode.NONE) {
            return normalised(faces, half, tuning, mode, rule, probeGate);
        }
        long t0 = System.nanoTime();
        Impostors calibration = Impostors.of(tuning);
        out().printf(Locale.ROOT, "calibration: tuning half, %d faces of %d people, %d impostor pairs (%.1f s)%n",
                calibration.faces().size(), tuning.size(), calibration.pairs(), (System.nanoTime() - t0) / 1e9);
        if (tuneGate) {
            return tuneGate(tuning, calibration, rule);
        }
        Map<String, List<LabelledFace>> measured = faces.half(half);
        Map<String, List<LabelledFace>> fillers = faces.half(half == PersonSplit.EVALUATION ? PersonSplit.TUNING : PersonSplit.EVALUATION);
        boolean[] calibrationOk = calibration.passing(probeGate);
        for (int size : sizes) {
            Gallery g = new Gallery(measured, half == PersonSplit.ALL ? Map.of() : fillers, enrolPhotos, size);
            double fmr = fixedFmr != null ? fixedFmr : FailClosedEval.fmrFor(g.templates());
            Calibration c = calibration.threshold(fmr, calibrationOk);
            Outcome o = g.rank(rule).decide(c.threshold(), fmr, probeGate, margin());
            print(half, rule, probeGate, c, o);
        }
        return ExitCodes.OK;
    }

    /** --norm and --tune-norm: the threshold calibrated in the normalised space on the tuning half's impostor comparisons. */
    private int normalised(FailClosedEval.Collector faces, PersonSplit half, Map<String, List<LabelledFace>> tuning,
                           CohortNorm.Mode mode, Scoring rule, ProbeGate probeGate) {
        long t0 = System.nanoTime();
        NormImpostors.RawPairs raw = new NormImpostors.RawPairs(tuning);
        out().printf(Locale.ROOT, "calibration: tuning half, %d faces of %d people (%.1f s)%n", raw.faces().size(), tuning.size(),
                (System.nanoTime() - t0) / 1e9);
        if (tuneNorm) {
            return tuneNorm(tuning, raw, rule, probeGate);
        }
        CohortNorm cn = new CohortNorm(mode, cohortTop, CohortNorm.choose(tuning, cohortSize));
        t0 = System.nanoTime();
        NormImpostors calibration = NormImpostors.of(raw, cn);
        double m = normMargin(calibration);
        out().printf(Locale.ROOT, "normalisation: %s (tuning-half people); %d ordered impostor comparisons; margin %.3f"
                        + " (%.2f cosine / median cohort sigma %.4f) (%.1f s)%n  tuning faces' %s%n", cn.label(),
                calibration.comparisons(null), m, margin(), calibration.medianSigma(), (System.nanoTime() - t0) / 1e9,
                calibration.spread());
        Map<String, List<LabelledFace>> measured = faces.half(half);
        Map<String, List<LabelledFace>> fillers = faces.half(half == PersonSplit.EVALUATION ? PersonSplit.TUNING : PersonSplit.EVALUATION);
        boolean[] ok = calibration.passing(probeGate);
        for (int size : sizes) {
            Gallery g = new Gallery(measured, half == PersonSplit.ALL ? Map.of() : fillers, enrolPhotos, size);
            double fmr = fixedFmr != null ? fixedFmr : FailClosedEval.fmrFor(g.templates());
            Calibration c = calibration.threshold(fmr, ok);
            Outcome o = g.rank(rule, cn).decide(c.threshold(), fmr, probeGate, m);
            print(half, rule, probeGate, c, o, cn.label());
        }
        return ExitCodes.OK;
    }

    /** The margin in normalised units: --margin as given, else the registry's cosine margin over the median cohort σ. */
    private double normMargin(NormImpostors calibration) {
        return margin != null ? margin : MatchPolicy.PROVISIONAL_MARGIN / calibration.medianSigma();
    }

    /**
     * Every normalisation of the grid on the tuning half's own gallery (every other person with ≥ 2 photos enrolled):
     * recognised share at the gallery rule's threshold, and the FMR that recognising {@link #TARGET_RECOGNISED} costs.
     * The best is the one whose {@link #TARGET_RECOGNISED} costs the lowest FMR (a thinner impostor tail at the same
     * genuine recognition).
     */
    private int tuneNorm(Map<String, List<LabelledFace>> tuning, NormImpostors.RawPairs raw, Scoring rule, ProbeGate probeGate) {
        Gallery g = new Gallery(tuning, Map.of(), enrolPhotos, 0);
        double fmr = fixedFmr != null ? fixedFmr : FailClosedEval.fmrFor(g.templates());
        Impostors plain = Impostors.of(tuning);
        Ranks plainRanks = g.rank(rule);
        Calibration pc = plain.threshold(fmr, plain.passing(probeGate));
        Outcome po = plainRanks.decide(pc.threshold(), fmr, probeGate, margin());
        float pNeeded = plainRanks.thresholdRecognising(TARGET_RECOGNISED);
        out().printf(Locale.ROOT, "%-44s recognised %.2f%%, strangers %d/%d at threshold %.4f; %.0f%% needs %.4f, FMR %.2g%n",
                "none", 100 * po.recognisedShare(), po.strangersConsented(), po.strangers(), pc.threshold(),
                100 * TARGET_RECOGNISED, pNeeded, plain.fmrAt(pNeeded));
        String best = null;
        double bestFmr = Double.POSITIVE_INFINITY;
        for (CohortNorm.Mode mode : new CohortNorm.Mode[]{CohortNorm.Mode.Z, CohortNorm.Mode.T, CohortNorm.Mode.S, CohortNorm.Mode.C}) {
            for (int size : TUNE_COHORTS) {
                List<LabelledFace> cohort = CohortNorm.choose(tuning, size);
                for (int top : TUNE_TOPS) {
                    CohortNorm cn = new CohortNorm(mode, top, cohort);
                    NormImpostors imp = NormImpostors.of(raw, cn);
                    Ranks ranks = g.rank(rule, cn);
                    Calibration c = imp.threshold(fmr, imp.passing(probeGate));
                    Outcome o = ranks.decide(c.threshold(), fmr, probeGate, normMargin(imp));
                    float needed = ranks.thresholdRecognising(TARGET_RECOGNISED);
                    String cost = needed >= imp.keepFrom()
                            ? String.format(Locale.ROOT, "FMR %.2g", imp.fmrAt(needed)) : "FMR > that at " + imp.keepFrom();
                    out().printf(Locale.ROOT, "%-44s recognised %.2f%%, strangers %d/%d at threshold %.4f; %.0f%% needs %.4f, %s%n",
                            cn.label(), 100 * o.recognisedShare(), o.strangersConsented(), o.strangers(), c.threshold(),
                            100 * TARGET_RECOGNISED, needed, cost);
                    if (mode == CohortNorm.Mode.Z) {
                        out().printf(Locale.ROOT, "    %s%n", imp.spread());
                    }
                    double f = needed >= imp.keepFrom() ? imp.fmrAt(needed) : Double.POSITIVE_INFINITY;
                    if (f < bestFmr) {
                        bestFmr = f;
                        best = cn.label();
                    }
                }
            }
        }
        out().printf(Locale.ROOT, "tuning half, %d subjects (%d templates, up to %d photos each), gallery rule FMR %.2g: best %s"
                + " (recognising %.0f%% costs FMR %.2g per comparison)%n", g.subjects(), g.templates(), enrolPhotos, fmr, best,
                100 * TARGET_RECOGNISED, bestFmr);
        return ExitCodes.OK;
    }

    private FailClosedEval.Collector withVariant(FailClosedEval.Collector scanned) throws IOException {
        if (variant == null) {
            throw new UserException("--vectors needs --variant");
        }
        org.likeness.eval.EmbedderBakeoff.Saved saved = org.likeness.eval.EmbedderBakeoff.load(vectors);
        org.likeness.eval.FusionEval.Variant v;
        try {
            v = org.likeness.eval.FusionEval.variant(saved.ids(), variant);
        } catch (IllegalArgumentException e) {
            throw new UserException(vectors + ": " + e.getMessage());
        }
        FailClosedEval.Collector out = new FailClosedEval.Collector();
        for (LabelledFace f : scanned.faces()) {
            float[][] base = saved.vectors().get(f.path());
            if (base != null) {
                out.faces().add(new LabelledFace(f.person(), f.path(), f.face(), org.likeness.eval.FusionEval.fused(v, base)));
            }
        }
        return out;
    }

    private double margin() {
        return margin != null ? margin : org.likeness.registry.MatchPolicy.PROVISIONAL_MARGIN;
    }

    private void print(PersonSplit half, Scoring rule, ProbeGate probeGate, Calibration c, Outcome o) {
        print(half, rule, probeGate, c, o, null);
    }

    private void print(PersonSplit half, Scoring rule, ProbeGate probeGate, Calibration c, Outcome o, String normLabel) {
        out().printf(Locale.ROOT, "%s half, %d subjects (%d templates, up to %d photos each), %s%s, gate [%s]: threshold %.4f"
                        + " (FMR %.2g per comparison: %d of %d tuning comparisons%s)%n",
                half.label(), o.subjects(), o.templates(), enrolPhotos, rule.name().toLowerCase(Locale.ROOT),
                normLabel == null ? "" : ", " + normLabel, probeGate, o.threshold(), c.fmr(), c.above(), c.comparisons(), c.resolved() ? "" : ", NOT resolved: < 10 expected");
        out().printf(Locale.ROOT, "  strangers %d: %d reported as consented (%.4f%%), %d not assessable (%.2f%%)%n",
                o.strangers(), o.strangersConsented(), 100 * o.strangersConsentedShare(), o.strangersNotAssessable(),
                100.0 * o.strangersNotAssessable() / Math.max(1, o.strangers()));
        out().printf(Locale.ROOT, "  enrolled people's other photos %d: %d recognised (%.2f%%; %.2f%% of assessable), %d as another subject, %d not assessable (%.2f%%), %d unknown%n",
                o.probes(), o.recognised(), 100 * o.recognisedShare(), 100 * o.recognisedOfAssessable(), o.wrongSubject(),
                o.probesNotAssessable(), 100.0 * o.probesNotAssessable() / Math.max(1, o.probes()),
                o.probes() - o.recognised() - o.wrongSubject() - o.probesNotAssessable());
    }

    /** Every gate of the grid on the tuning half; the best recognised-of-assessable share within the not-assessable cap. */
    private int tuneGate(Map<String, List<LabelledFace>> tuning, Impostors calibration, Scoring rule) {
        Gallery g = new Gallery(tuning, Map.of(), enrolPhotos, 0);
        Ranks ranks = g.rank(rule);
        double fmr = fixedFmr != null ? fixedFmr : FailClosedEval.fmrFor(g.templates());
        Outcome best = null;
        ProbeGate bestGate = null;
        Calibration bestC = null;
        for (ProbeGate candidate : FailClosedEval.gateGrid()) {
            Calibration c = calibration.threshold(fmr, calibration.passing(candidate));
            Outcome o = ranks.decide(c.threshold(), fmr, candidate, margin());
            if ((double) o.probesNotAssessable() / Math.max(1, o.probes()) > ProbeGate.MAX_NOT_ASSESSABLE) {
                continue;
            }
            if (best == null || o.recognisedOfAssessable() > best.recognisedOfAssessable()) {
                best = o;
                bestGate = candidate;
                bestC = c;
            }
        }
        Calibration none = calibration.threshold(fmr, null);
        print(PersonSplit.TUNING, rule, ProbeGate.NONE, none, ranks.decide(none.threshold(), fmr, ProbeGate.NONE, margin()));
        out().println("best gate of " + FailClosedEval.gateGrid().size() + " with <= "
                + (int) (100 * ProbeGate.MAX_NOT_ASSESSABLE) + "% of genuine probes not assessable:");
        print(PersonSplit.TUNING, rule, bestGate, bestC, best);
        float needed = ranks.thresholdRecognising(TARGET_RECOGNISED);
        double fmrNeeded = calibration.fmrAt(needed);
        out().printf(Locale.ROOT, "recognising %.0f%% (no gate) needs threshold %.4f: FMR %.2g per comparison on the tuning half,"
                        + " i.e. about %.2f%% of strangers matched against %d templates%n", 100 * TARGET_RECOGNISED, needed, fmrNeeded,
                100 * Math.min(1, fmrNeeded * g.templates()), g.templates());
        return ExitCodes.OK;
    }
}
