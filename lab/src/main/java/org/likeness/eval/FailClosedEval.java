package org.likeness.eval;

import org.likeness.face.Face;
import org.likeness.face.MatchThreshold;
import org.likeness.face.ProbeGate;
import org.likeness.registry.MatchPolicy;
import org.likeness.scan.ScanRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The fail-closed measurement of {@code likeness bench failclosed} (docs/BENCHMARKS.md "Fail closed"): in one half of a
 * labelled scan (split by person, {@link PersonSplit}), every other person with ≥ 2 photos is enrolled from their first
 * photos and consents; their other photos are the genuine probes; everyone else in the half is a stranger. The
 * identification threshold is always calibrated on the TUNING half's impostor pairs ({@link Impostors}), whichever half
 * is measured. Larger galleries are filled with people of the other half (enrolled, never probed).
 */
public final class FailClosedEval {
    /**
     * Ordered (probe, template) impostor comparisons among faces of the given people whose probe passes the gate
     * (null: every face): each face against every face of another person.
     */
    static long orderedComparisons(int[] personOf, int[] personSize, boolean[] probeOk) {
        long n = personOf.length;
        long c = 0;
        for (int i = 0; i < n; i++) {
            if (probeOk == null || probeOk[i]) {
                c += n - personSize[personOf[i]];
            }
        }
        return c;
    }

    /** Impostor scores below this are never a threshold candidate at FMR ≤ 1e-4 (the lfw-dev FMR 1e-4 point is 0.43). */
    static final float KEEP_IMPOSTORS_FROM = 0.30f;

    private FailClosedEval() {
    }

    /** One labelled photo's primary face, its vector normalised. */
    public record LabelledFace(String person, String path, Face face, float[] unit) {
        public float quality() {
            return face.quality().score();
        }
    }

    /** Collects the primary face of every photo of a person/photo folder scan (see {@link LabelledFaces}). */
    public static final class Collector implements Consumer<ScanRecord> {
        private final List<LabelledFace> faces = new ArrayList<>();

        @Override
        public void accept(ScanRecord r) {
            int slash = r.path().indexOf('/');
            if (slash <= 0 || !r.ok()) {
                return;
            }
            PrimaryFace.of(r).ifPresent(f -> faces.add(new LabelledFace(r.path().substring(0, slash), r.path(), f,
                    unit(f.embedding().vector()))));
        }

        public List<LabelledFace> faces() {
            return faces;
        }

        /** The faces of one half, by person (names sorted, photos in scan order). */
        public Map<String, List<LabelledFace>> half(PersonSplit split) {
            Map<String, List<LabelledFace>> out = new TreeMap<>();
            for (LabelledFace f : faces) {
                if (split == PersonSplit.ALL || PersonSplit.of(f.person()) == split) {
                    out.computeIfAbsent(f.person(), k -> new ArrayList<>()).add(f);
                }
            }
            return out;
        }
    }

    /** How a subject's several templates give one score against a probe. */
    public enum Scoring {
        /** The best template's similarity. */
        MAX,
        /** Similarities averaged with each template's quality score as weight. */
        QUALITY_WEIGHTED_MEAN;

        /** The subject's score from the similarities and qualities of its templates. */
        public float score(float[] similarities, float[] qualities, int from, int to) {
            if (this == MAX) {
                float m = Float.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    m = Math.max(m, similarities[i]);
                }
                return m;
            }
            double s = 0;
            double w = 0;
            for (int i = from; i < to; i++) {
                double q = Math.max(1e-3, qualities[i]);
                s += q * similarities[i];
                w += q;
            }
            return (float) (s / w);
        }
    }

    /**
     * Every impostor pair of a set of faces (all pairs of different people); scores ≥ {@link #KEEP_IMPOSTORS_FROM}
     * kept with their indices so that a threshold can be read for any subset of probes (a quality gate).
     */
    public static final class Impostors {
        private final List<LabelledFace> faces;
        private final int[] personOf;
        private final int[] personSize;
        private final float[] score;
        private final int[] a;
        private final int[] b;

        private Impostors(List<LabelledFace> faces, int[] personOf, int[] personSize, float[] score, int[] a, int[] b) {
            this.faces = faces;
            this.personOf = personOf;
            this.personSize = personSize;
            this.score = score;
            this.a = a;
            this.b = b;
        }

        public static Impostors of(Map<String, List<LabelledFace>> half) {
            List<LabelledFace> faces = new ArrayList<>();
            List<Integer> person = new ArrayList<>();
            int[] size = new int[half.size()];
            int p = 0;
            for (List<LabelledFace> fs : half.values()) {
                for (LabelledFace f : fs) {
                    faces.add(f);
                    person.add(p);
                }
                size[p++] = fs.size();
            }
            int n = faces.size();
            int[] personOf = person.stream().mapToInt(Integer::intValue).toArray();
            int d = n == 0 ? 0 : faces.get(0).unit().length;
            float[] flat = new float[n * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(faces.get(i).unit(), 0, flat, i * d, d);
            }
            List<long[]> kept = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
                List<long[]> mine = new ArrayList<>();
                for (int j = i + 1; j < n; j++) {
                    if (personOf[i] == personOf[j]) {
                        continue;
                    }
                    float s = dot(flat, i * d, flat, j * d, d);
                    if (s >= KEEP_IMPOSTORS_FROM) {
                        mine.add(new long[]{Float.floatToIntBits(s), i, j});
                    }
                }
                kept.addAll(mine);
            });
            kept.sort((x, y) -> Float.compare(Float.intBitsToFloat((int) y[0]), Float.intBitsToFloat((int) x[0])));
            float[] score = new float[kept.size()];
            int[] a = new int[kept.size()];
            int[] b = new int[kept.size()];
            for (int k = 0; k < kept.size(); k++) {
                score[k] = Float.intBitsToFloat((int) kept.get(k)[0]);
                a[k] = (int) kept.get(k)[1];
                b[k] = (int) kept.get(k)[2];
            }
            return new Impostors(faces, personOf, size, score, a, b);
        }

        public List<LabelledFace> faces() {
            return faces;
        }

        /** All impostor pairs (unordered). */
        public long pairs() {
            return comparisons(null) / 2;
        }

        /** Ordered (probe, template) impostor comparisons whose probe passes the gate (null: every face). */
        long comparisons(boolean[] probeOk) {
            return orderedComparisons(personOf, personSize, probeOk);
        }

        /**
         * The lowest threshold at which at most {@code fmr} of the ordered impostor comparisons with a gated probe
         * reach it; {@code probeOk} null means no gate.
         */
        public Calibration threshold(double fmr, boolean[] probeOk) {
            long total = comparisons(probeOk);
            long allowed = (long) Math.floor(fmr * total);
            long above = 0;
            for (int k = 0; k < score.length; k++) {
                int w = probeOk == null ? 2 : (probeOk[a[k]] ? 1 : 0) + (probeOk[b[k]] ? 1 : 0);
                if (above + w > allowed) {
                    return new Calibration(fmr, Math.nextUp(score[k]), total, above);
                }
                above += w;
            }
            return new Calibration(fmr, KEEP_IMPOSTORS_FROM, total, above);
        }

        /** Share of all ordered impostor comparisons at or above a threshold (≥ {@link #KEEP_IMPOSTORS_FROM}). */
        public double fmrAt(float threshold) {
            long above = 0;
            for (float v : score) {
                if (v >= threshold) {
                    above += 2;
                }
            }
            return (double) above / Math.max(1, comparisons(null));
        }

        public boolean[] passing(ProbeGate gate) {
            boolean[] ok = new boolean[faces.size()];
            for (int i = 0; i < ok.length; i++) {
                ok[i] = gate.passes(faces.get(i).face());
            }
            return ok;
        }
    }

    /**
     * @param fmr        per-comparison FMR asked for
     * @param threshold  the similarity that keeps the measured FMR at or below it
     * @param comparisons ordered impostor comparisons it was measured over
     * @param above      of them at or above the threshold
     */
    public record Calibration(double fmr, float threshold, long comparisons, long above) {
        /** Fewer than 10 expected false matches: the point is not resolved (its FMR error is > 30 %). */
        public boolean resolved() {
            return fmr * comparisons >= 10;
        }
    }

    /**
     * The per-comparison FMR an identification among {@code templates} templates may have so that a stranger is
     * attributed to someone with probability ≤ {@link MatchThreshold#MAX_FALSE_IDENTIFICATION} (union bound:
     * P ≤ templates × FMR).
     */
    public static double fmrFor(int templates) {
        return MatchThreshold.MAX_FALSE_IDENTIFICATION / Math.max(1, templates);
    }

    /** What one gallery of a half was measured to do. */
    public record Outcome(int subjects, int templates, float threshold, double fmr, int strangers, int strangersConsented,
                          int strangersNotAssessable, int probes, int recognised, int wrongSubject, int probesNotAssessable) {
        public double recognisedShare() {
            return (double) recognised / Math.max(1, probes);
        }

        public double recognisedOfAssessable() {
            return (double) recognised / Math.max(1, probes - probesNotAssessable);
        }

        public double strangersConsentedShare() {
            return (double) strangersConsented / Math.max(1, strangers);
        }
    }

    /** Best and runner-up subject of one probe under a scoring rule (threshold-free). */
    record Ranked(int best, float bestScore, float secondScore) {
        boolean identified(float threshold, double margin) {
            return best >= 0 && bestScore >= threshold && bestScore - secondScore >= margin;
        }
    }

    /** A gallery of one half: enrolled subjects' templates, the genuine probes, the strangers. */
    public static final class Gallery {
        final List<String> subjects = new ArrayList<>();
        final int[] firstTemplate;
        final float[][] templates;
        final float[] qualities;
        /** The person each template is a photo of. */
        final List<String> templatePerson = new ArrayList<>();
        final List<LabelledFace> genuine = new ArrayList<>();
        final List<Integer> genuineSubject = new ArrayList<>();
        final List<LabelledFace> strangers = new ArrayList<>();

        /**
         * @param half        the measured half, by person
         * @param fillers     people of the other half, enrolled (first photo) only to reach {@code subjects}
         * @param enrolPhotos photos enrolled per consenting person (at most their count − 1: one is always a probe)
         * @param subjects    gallery size; 0 means every other person with ≥ 2 photos and no fillers
         */
        public Gallery(Map<String, List<LabelledFace>> half, Map<String, List<LabelledFace>> fillers, int enrolPhotos, int subjects) {
            List<float[]> t = new ArrayList<>();
            List<Float> q = new ArrayList<>();
            List<Integer> first = new ArrayList<>();
            int k = 0;
            for (Map.Entry<String, List<LabelledFace>> e : half.entrySet()) {
                List<LabelledFace> v = e.getValue();
                boolean enrol = v.size() >= 2 && k++ % 2 == 0 && (subjects == 0 || this.subjects.size() < subjects);
                if (!enrol) {
                    strangers.addAll(v);
                    continue;
                }
                int n = Math.min(enrolPhotos, v.size() - 1);
                first.add(t.size());
                for (LabelledFace f : v.subList(0, n)) {
                    t.add(f.unit());
                    templatePerson.add(e.getKey());
                    q.add(f.quality());
                }
                for (LabelledFace f : v.subList(n, v.size())) {
                    genuine.add(f);
                    genuineSubject.add(this.subjects.size());
                }
                this.subjects.add(e.getKey());
            }
            for (Map.Entry<String, List<LabelledFace>> e : fillers.entrySet()) {
                if (this.subjects.size() >= subjects) {
                    break;
                }
                first.add(t.size());
                t.add(e.getValue().get(0).unit());
                templatePerson.add(e.getKey());
                q.add(e.getValue().get(0).quality());
                this.subjects.add(e.getKey());
            }
            first.add(t.size());
            firstTemplate = first.stream().mapToInt(Integer::intValue).toArray();
            templates = t.toArray(float[][]::new);
            qualities = new float[q.size()];
            for (int i = 0; i < qualities.length; i++) {
                qualities[i] = q.get(i);
            }
        }

        public int subjects() {
            return subjects.size();
        }

        public int templates() {
            return templates.length;
        }

        Ranked rank(float[] probe, Scoring scoring) {
            return rank(probe, scoring, null, null, null);
        }

        /**
         * @param norm      null: raw similarities; else each (probe, template) similarity normalised by it
         * @param sides     the templates' cohort sides under {@code norm} ({@link #templateSides})
         * @param probeSide the probe's cohort side under {@code norm}
         */
        Ranked rank(float[] probe, Scoring scoring, CohortNorm norm, CohortNorm.Side[] sides, CohortNorm.Side probeSide) {
            float[] sims = new float[templates.length];
            for (int t = 0; t < templates.length; t++) {
                sims[t] = dot(templates[t], 0, probe, 0, probe.length);
                if (norm != null) {
                    sims[t] = norm.normalise(sims[t], sides[t], probeSide);
                }
            }
            int best = -1;
            float bs = Float.NEGATIVE_INFINITY;
            float ss = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < subjects.size(); s++) {
                float v = scoring.score(sims, qualities, firstTemplate[s], firstTemplate[s + 1]);
                if (v > bs) {
                    ss = bs;
                    bs = v;
                    best = s;
                } else if (v > ss) {
                    ss = v;
                }
            }
            return new Ranked(best, bs, ss);
        }

        /** Threshold-free ranks of every genuine probe and stranger. */
        public Ranks rank(Scoring scoring) {
            Ranked[] g = genuine.parallelStream().map(f -> rank(f.unit(), scoring)).toArray(Ranked[]::new);
            Ranked[] s = strangers.parallelStream().map(f -> rank(f.unit(), scoring)).toArray(Ranked[]::new);
            return new Ranks(this, g, s);
        }

        /** The templates' cohort sides (each template's own person left out of its cohort). */
        public CohortNorm.Side[] templateSides(CohortNorm norm) {
            CohortNorm.Side[] out = new CohortNorm.Side[templates.length];
            java.util.stream.IntStream.range(0, out.length).parallel()
                    .forEach(t -> out[t] = norm.side(templates[t], templatePerson.get(t)));
            return out;
        }

        /** Threshold-free ranks of every genuine probe and stranger, scores normalised by {@code norm}. */
        public Ranks rank(Scoring scoring, CohortNorm norm) {
            CohortNorm.Side[] sides = templateSides(norm);
            Ranked[] g = genuine.parallelStream()
                    .map(f -> rank(f.unit(), scoring, norm, sides, norm.side(f.unit(), f.person()))).toArray(Ranked[]::new);
            Ranked[] s = strangers.parallelStream()
                    .map(f -> rank(f.unit(), scoring, norm, sides, norm.side(f.unit(), f.person()))).toArray(Ranked[]::new);
            return new Ranks(this, g, s);
        }
    }

    /** A gallery's ranked probes, to be decided at any threshold and gate. */
    public record Ranks(Gallery gallery, Ranked[] genuine, Ranked[] strangers) {
        /**
         * The highest threshold at which {@code share} of the genuine probes would be recognised (own subject ranked
         * first; the margin ignored), i.e. what recognising that share would cost.
         */
        public float thresholdRecognising(double share) {
            float[] own = new float[genuine.length];
            for (int i = 0; i < genuine.length; i++) {
                own[i] = genuine[i].best() == gallery.genuineSubject.get(i) ? genuine[i].bestScore() : Float.NEGATIVE_INFINITY;
            }
            java.util.Arrays.sort(own);
            int misses = (int) Math.floor((1 - share) * own.length);
            return own[Math.min(own.length - 1, misses)];
        }

        public Outcome decide(float threshold, double fmr, ProbeGate gate) {
            return decide(threshold, fmr, gate, MatchPolicy.PROVISIONAL_MARGIN);
        }

        /** @param margin lead over the runner-up subject a match needs (the registry's is {@link MatchPolicy#PROVISIONAL_MARGIN}) */
        public Outcome decide(float threshold, double fmr, ProbeGate gate, double margin) {
            int recognised = 0;
            int wrong = 0;
            int gNa = 0;
            for (int i = 0; i < genuine.length; i++) {
                if (!gate.passes(gallery.genuine.get(i).face())) {
                    gNa++;
                } else if (genuine[i].identified(threshold, margin)) {
                    if (genuine[i].best() == gallery.genuineSubject.get(i)) {
                        recognised++;
                    } else {
                        wrong++;
                    }
                }
            }
            int consented = 0;
            int sNa = 0;
            for (int i = 0; i < strangers.length; i++) {
                if (!gate.passes(gallery.strangers.get(i).face())) {
                    sNa++;
                } else if (strangers[i].identified(threshold, margin)) {
                    consented++;
                }
            }
            return new Outcome(gallery.subjects(), gallery.templates(), threshold, fmr, strangers.length, consented, sNa,
                    genuine.length, recognised, wrong, gNa);
        }
    }

    static float[] unit(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        float inv = (float) (1.0 / Math.sqrt(s));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }

    static float dot(float[] x, int xo, float[] y, int yo, int d) {
        return org.likeness.cluster.ChineseWhispers.dot(x, xo, y, yo, d);
    }

    /** Candidate gates for {@code --tune-gate}: every combination of these cut-offs. */
    public static List<ProbeGate> gateGrid() {
        List<ProbeGate> out = new ArrayList<>();
        for (float eye : new float[]{0, 15, 20, 25, 30}) {
            for (float sharp : new float[]{0, 10, 20, 40, 60, 100}) {
                for (float yaw : new float[]{Float.POSITIVE_INFINITY, 0.4f, 0.3f, 0.25f, 0.2f, 0.15f}) {
                    for (float det : new float[]{0, 0.9f, 0.95f, 0.99f}) {
                        out.add(new ProbeGate(eye, sharp, yaw, det));
                    }
                }
            }
        }
        return out;
    }
}
