package org.likeness.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.likeness.registry.Identification;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.TemplateGallery;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Identification of one probe against a gallery of random unit 512-d templates (one per subject),
 * brute force vs sign codes vs HNSW. Probes are "mated": another capture of an enrolled subject, at cosine 0.7
 * to its template. Setup prints the approximate searches' recall: the share of probes whose best subject is the brute
 * force's best subject.
 *
 * <pre>java -cp "lab/target/likeness-lab.jar:core/target/likeness.jar:core/target/lib/*:lab/target/lib/*" org.openjdk.jmh.Main IdentifyBenchmark -f 1 -wi 2 -i 3</pre>
 * Building the HNSW graph for 100k templates took 11 minutes on a shared 2-core machine; add
 * {@code -p search=BRUTE_FORCE,SIGN_CODES} to leave it out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class IdentifyBenchmark {
    static final int DIMS = 512;
    /** Cosine of a mated probe to its template: a plausible same-person score for a 512-d face embedder. */
    static final double MATED_COSINE = 0.7;
    static final int PROBES = 1024;
    static final int RECALL_PROBES = 1000;

    @Param({"100000"})
    public int size;

    @Param({"BRUTE_FORCE", "SIGN_CODES", "HNSW"})
    public String search;

    private TemplateGallery gallery;
    private float[][] probes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(20_261_126L);
        String[] subjects = new String[size];
        float[][] templates = new float[size][];
        for (int t = 0; t < size; t++) {
            subjects[t] = "s" + t;
            templates[t] = unit(random);
        }
        long start = System.nanoTime();
        gallery = TemplateGallery.of("bench", new MatchPolicy(0.5, MatchPolicy.PROVISIONAL_MARGIN), subjects,
                templates, TemplateGallery.Search.valueOf(search));
        long buildMs = (System.nanoTime() - start) / 1_000_000;
        probes = new float[PROBES][];
        for (int p = 0; p < PROBES; p++) {
            probes[p] = near(templates[random.nextInt(size)], MATED_COSINE, random);
        }
        System.out.printf("%n[setup] %s over %d templates built in %d ms, %d bytes per template%n",
                search, size, buildMs, gallery.bytesPerTemplate());
        if (gallery.approximate()) {
            int agree = 0;
            for (int p = 0; p < RECALL_PROBES; p++) {
                float[] probe = near(templates[random.nextInt(size)], MATED_COSINE, random);
                Identification approx = gallery.identify(probe);
                Identification exact = gallery.identifyExact(probe);
                if (approx.candidate().equals(exact.candidate()) && approx.outcome() == exact.outcome()) {
                    agree++;
                }
            }
            System.out.printf("[setup] %s recall vs brute force: %d / %d mated probes = %.2f%%%n",
                    search, agree, RECALL_PROBES, 100.0 * agree / RECALL_PROBES);
        }
    }

    @Benchmark
    public Identification identify() {
        return gallery.identify(probes[next++ & (PROBES - 1)]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gallery.close();
    }

    static float[] unit(SplittableRandom r) {
        float[] v = new float[DIMS];
        double sum = 0;
        for (int i = 0; i < DIMS; i++) {
            double u = r.nextDouble(), w = r.nextDouble();
            v[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w));
            sum += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(sum));
        for (int i = 0; i < DIMS; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** A unit vector at cosine {@code cos} to the unit vector {@code base}. */
    static float[] near(float[] base, double cos, SplittableRandom r) {
        float[] noise = unit(r);
        double dot = 0;
        for (int i = 0; i < DIMS; i++) {
            dot += noise[i] * base[i];
        }
        double norm = 0;
        double[] orth = new double[DIMS];
        for (int i = 0; i < DIMS; i++) {
            orth[i] = noise[i] - dot * base[i];
            norm += orth[i] * orth[i];
        }
        double sin = Math.sqrt(1 - cos * cos) / Math.sqrt(norm);
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) (cos * base[i] + sin * orth[i]);
        }
        return v;
    }
}
