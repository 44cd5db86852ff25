package org.likeness.spark;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.likeness.registry.GallerySnapshot;
import org.likeness.registry.Identification;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.TemplateGallery;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Identification against a gallery too large to broadcast (10^6–10^7 templates): the gallery is split into blocks by
 * the sign code of its templates' first dimensions ({@link TemplateGallery#blocks}), each block sealed and sent to one
 * task only; every probe is sent to every block, scored there (brute force within a block under 5,000 templates,
 * sign-code candidates rescored exactly above), and the blocks' answers are merged per probe
 * ({@link Identification#merge}). With brute-force blocks the answer is the whole gallery's brute-force answer
 * ({@code BlockIdentifyTest}); memory per task is one block, not the gallery.
 */
final class BlockIdentify {
    /**
     * Gallery size from which the audit job stops broadcasting: 200,000 templates of 512 floats are 410 MB in every
     * executor JVM (twice while the broadcast is deserialised), the most a 1–2 GB executor can spare.
     */
    static final int BROADCAST_MAX_TEMPLATES = 200_000;

    /** Templates per block aimed at: 50,000 × 2 kB = 100 MB of gallery per task. */
    static final int TEMPLATES_PER_BLOCK = 50_000;

    /** An Identification as task output (the record is not Serializable). */
    record Scored(String outcome, String candidate, double score, String runnerUp, double runnerUpScore) implements Serializable {
        static Scored of(Identification id) {
            return new Scored(id.outcome().name(), id.candidate(), id.score(), id.runnerUp(), id.runnerUpScore());
        }

        Identification identification() {
            return new Identification(Identification.Outcome.valueOf(outcome), candidate, score, runnerUp, runnerUpScore);
        }
    }

    private BlockIdentify() {
    }

    /** Blocks for a gallery of {@code templates}: a power of two with at most {@link #TEMPLATES_PER_BLOCK} each on average. */
    static int blocksFor(long templates) {
        int b = 1;
        while ((long) b * TEMPLATES_PER_BLOCK < templates && b < (1 << 16)) {
            b <<= 1;
        }
        return b;
    }

    /**
     * @param probes  probe key → vector
     * @param blocks  the sealed blocks of one gallery (one key opens them all; it reaches executors as a secret)
     */
    static JavaPairRDD<Long, Scored> identify(JavaSparkContext jsc, JavaPairRDD<Long, float[]> probes,
                                              List<GallerySnapshot.Sealed> blocks, MatchPolicy policy) {
        int n = blocks.size();
        HashPartitioner byBlock = new HashPartitioner(n);
        List<Tuple2<Integer, Tuple2<String, byte[]>>> sealed = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            sealed.add(new Tuple2<>(b, new Tuple2<>(blocks.get(b).id(), blocks.get(b).bytes())));
        }
        JavaPairRDD<Integer, Tuple2<String, byte[]>> galleries = jsc.parallelizePairs(sealed, n).partitionBy(byBlock);
        JavaPairRDD<Integer, Tuple2<Long, float[]>> copies = probes.flatMapToPair(p -> {
            List<Tuple2<Integer, Tuple2<Long, float[]>>> out = new ArrayList<>(n);
            for (int b = 0; b < n; b++) {
                out.add(new Tuple2<>(b, p));
            }
            return out.iterator();
        }).partitionBy(byBlock);
        JavaPairRDD<Long, Scored> perBlock = galleries.zipPartitions(copies, BlockIdentify::scoreBlock)
                .mapToPair(t -> t);
        double threshold = policy.threshold(), margin = policy.margin(); // the record is not Serializable
        return perBlock.groupByKey().mapValues(answers -> {
            List<Identification> ids = new ArrayList<>();
            answers.forEach(a -> ids.add(a.identification()));
            return Scored.of(Identification.merge(new MatchPolicy(threshold, margin), ids));
        });
    }

    private static Iterator<Tuple2<Long, Scored>> scoreBlock(Iterator<Tuple2<Integer, Tuple2<String, byte[]>>> galleries,
                                                             Iterator<Tuple2<Integer, Tuple2<Long, float[]>>> probes) {
        Map<Integer, TemplateGallery> open = new HashMap<>();
        try {
            while (galleries.hasNext()) {
                Tuple2<Integer, Tuple2<String, byte[]>> g = galleries.next();
                open.put(g._1(), ExecutorGallery.block(g._2()._2()));
            }
            List<Tuple2<Long, Scored>> out = new ArrayList<>();
            while (probes.hasNext()) {
                Tuple2<Integer, Tuple2<Long, float[]>> p = probes.next();
                TemplateGallery g = open.get(p._1());
                if (g == null) {
                    throw new IllegalStateException("block " + p._1() + " is not in this partition");
                }
                out.add(new Tuple2<>(p._2()._1(), Scored.of(g.identify(p._2()._2()))));
            }
            return out.iterator();
        } finally {
            open.values().forEach(TemplateGallery::close); // the block's templates zeroed as soon as its task is done
        }
    }
}
