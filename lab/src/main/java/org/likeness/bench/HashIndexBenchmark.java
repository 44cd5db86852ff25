package org.likeness.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.likeness.hash.HashIndex;
import org.likeness.hash.HashIndexBuilder;
import org.likeness.hash.PdqHash;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Radius-31 queries against {@code size} synthetic hashes: 99% uniformly random, 1% planted near-duplicates (a stored
 * hash with 1-16 bits flipped). Each query is a stored hash with 0-24 bits flipped, so every query has hits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class HashIndexBenchmark {

    private static final int QUERIES = 1024;
    private static final double PLANTED_SHARE = 0.01;
    private static final int MAX_PLANTED_FLIPS = 16;
    private static final int MAX_QUERY_FLIPS = 24;

    @Param({"100000", "1000000", "10000000"})
    int size;

    private HashIndex index;
    private final PdqHash[] queries = new PdqHash[QUERIES];
    private int next;

    @Setup
    public void build() {
        Random random = new Random(20261126L);
        long[] words = new long[4 * size];
        for (int i = 0; i < size; i++) {
            if (i > 0 && random.nextDouble() < PLANTED_SHARE) {
                int source = random.nextInt(i);
                System.arraycopy(words, 4 * source, words, 4 * i, 4);
                flip(words, i, 1 + random.nextInt(MAX_PLANTED_FLIPS), random);
            } else {
                for (int k = 0; k < 4; k++) {
                    words[4 * i + k] = random.nextLong();
                }
            }
        }
        HashIndexBuilder builder = HashIndex.builder();
        long[] q = new long[4];
        for (int i = 0; i < size; i++) {
            builder.add(new PdqHash(words[4 * i], words[4 * i + 1], words[4 * i + 2], words[4 * i + 3]));
        }
        long start = System.nanoTime();
        index = builder.build();
        long hits = 0;
        for (int j = 0; j < QUERIES; j++) {
            int source = random.nextInt(size);
            System.arraycopy(words, 4 * source, q, 0, 4);
            flip(q, 0, random.nextInt(MAX_QUERY_FLIPS + 1), random);
            queries[j] = PdqHash.ofWords(q);
            hits += index.search(queries[j]).length;
        }
        System.out.printf("%nindex of %d hashes: built in %.1f s, %.2f bytes/hash, %.2f hits/query%n", size,
                (System.nanoTime() - start) / 1e9, (double) index.memoryBytes() / size, (double) hits / QUERIES);
    }

    private static void flip(long[] words, int hash, int bits, Random random) {
        long before = 0;
        for (int done = 0; done < bits; ) {
            int bit = random.nextInt(256);
            int w = 4 * hash + (bit >>> 6);
            long mask = 1L << (bit & 63);
            before = words[w];
            words[w] ^= mask;
            if ((before & mask) != (words[w] & mask)) {
                done++;
            }
        }
    }

    @Benchmark
    public int[] searchRadius31() {
        PdqHash q = queries[next];
        next = (next + 1) & (QUERIES - 1);
        return index.search(q);
    }
}
