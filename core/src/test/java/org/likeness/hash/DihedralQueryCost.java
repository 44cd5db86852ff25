package org.likeness.hash;

import java.util.Random;

/**
 * Test-scope measurement (not a test): what the trace's dihedral queries cost against an index of 100,000 random hashes
 * (the bench trace's registry size). Per unmatched suspect the trace now asks radius 31 and 64 for the plain hash and
 * then, for the eight dihedral hashes, radius 31 and 64 again. Run: java -cp target/classes:target/test-classes
 * org.likeness.hash.DihedralQueryCost
 */
public final class DihedralQueryCost {
    public static void main(String[] args) {
        Random rnd = new Random(18);
        HashIndexBuilder b = HashIndex.builder();
        for (int i = 0; i < 100_000; i++) {
            b.add(new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong()));
        }
        HashIndex index = b.build();
        PdqHash[] q = new PdqHash[2000];
        for (int i = 0; i < q.length; i++) {
            q[i] = new PdqHash(rnd.nextLong(), rnd.nextLong(), rnd.nextLong(), rnd.nextLong());
        }
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            long hits = 0;
            for (PdqHash h : q) {
                hits += index.search(h).length + index.search(h, 64).length;
            }
            long t1 = System.nanoTime();
            for (PdqHash h : q) {
                for (int v = 0; v < 8; v++) {
                    hits += index.search(h).length + index.search(h, 64).length;
                }
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: plain radius 31+64: %.3f ms per suspect; eight dihedral 31+64: %.3f ms per suspect (%d hits)%n",
                    round, (t1 - t0) / 1e6 / q.length, (t2 - t1) / 1e6 / q.length, hits);
        }
    }
}
