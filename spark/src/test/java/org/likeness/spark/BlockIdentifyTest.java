package org.likeness.spark;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.likeness.registry.GallerySnapshot;
import org.likeness.registry.Identification;
import org.likeness.registry.MasterKey;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.TemplateGallery;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partitioned identification gives the whole gallery's brute-force answer: synthetic 512-d templates (3,000
 * subjects × 3 templates around a random direction each), probes near enrolled subjects, near two subjects at once
 * (ambiguous) and strangers; 8 blocks on local[2] against {@link TemplateGallery#identifyExact}.
 */
class BlockIdentifyTest {
    static final int DIMS = 512, SUBJECTS = 3_000, PER_SUBJECT = 3;

    private static float[] around(float[] centre, double noise, Random r) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) (centre[i] + noise * r.nextGaussian());
        }
        return v;
    }

    private static float[] random(Random r) {
        return around(new float[DIMS], 1, r);
    }

    @Test
    void blocksMergedGiveTheBruteForceAnswerForEveryProbe() {
        Random r = new Random(20261129L);
        float[][] centres = new float[SUBJECTS][];
        String[] subjects = new String[SUBJECTS * PER_SUBJECT];
        float[][] templates = new float[SUBJECTS * PER_SUBJECT][];
        for (int s = 0; s < SUBJECTS; s++) {
            centres[s] = random(r);
            for (int k = 0; k < PER_SUBJECT; k++) {
                subjects[s * PER_SUBJECT + k] = "s" + s;
                templates[s * PER_SUBJECT + k] = around(centres[s], 0.8, r); // cos ≈ 0.6 to the centre
            }
        }
        MatchPolicy policy = MatchPolicy.withProvisionalMargin(0.4285);
        TemplateGallery whole = TemplateGallery.of("synthetic-512", policy, subjects, templates, TemplateGallery.Search.BRUTE_FORCE);
        List<Tuple2<Long, float[]>> probes = new ArrayList<>();
        for (long p = 0; p < 300; p++) {
            float[] v;
            if (p < 150) {
                v = around(centres[r.nextInt(SUBJECTS)], 0.8, r);
            } else if (p < 200) {
                float[] a = centres[r.nextInt(SUBJECTS)], b = centres[r.nextInt(SUBJECTS)];
                v = new float[DIMS];
                for (int i = 0; i < DIMS; i++) {
                    v[i] = a[i] + b[i] + (float) (0.3 * r.nextGaussian());
                }
            } else {
                v = random(r);
            }
            probes.add(new Tuple2<>(p, v));
        }
        try (MasterKey key = MasterKey.random()) {
            List<GallerySnapshot.Sealed> blocks = GallerySnapshot.sealBlocks(whole, 8, key);
            ExecutorGallery.setLocalKey(blocks.get(0).key());
            SparkSession spark = SparkSession.builder().master("local[2]").appName("block-identify").getOrCreate();
            Map<Long, BlockIdentify.Scored> answers;
            try {
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                JavaPairRDD<Long, float[]> rdd = jsc.parallelizePairs(probes, 4);
                answers = BlockIdentify.identify(jsc, rdd, blocks, policy).collectAsMap();
            } finally {
                spark.stop();
                ExecutorGallery.setLocalKey(null);
            }
            assertThat(answers).hasSize(probes.size());
            int[] outcomes = new int[Identification.Outcome.values().length];
            for (Tuple2<Long, float[]> p : probes) {
                Identification exact = whole.identifyExact(p._2());
                Identification merged = answers.get(p._1()).identification();
                assertThat(merged).as("probe " + p._1()).isEqualTo(exact);
                outcomes[exact.outcome().ordinal()]++;
            }
            // the sample exercises every decision the merge must get right
            assertThat(outcomes[Identification.Outcome.MATCH.ordinal()]).isGreaterThan(100);
            assertThat(outcomes[Identification.Outcome.BELOW_THRESHOLD.ordinal()]).isGreaterThan(50);
            assertThat(outcomes[Identification.Outcome.AMBIGUOUS.ordinal()]).isGreaterThan(5);
        }
    }
}
