package org.likeness.hash;

/**
 * One multi-index query (see {@link HashIndex}). Per table it visits every directory bucket whose prefix is within
 * ⌊D/8⌋ of the query's, filters the bucket's entries by fragment distance against the flips left, and verifies
 * the survivors on the stored hash. Each (table, bucket) is visited once, so no id is seen twice in a table.
 */
final class MultiIndexQuery {

    private final long[] hashes;
    private final HashTables tables;
    private final long q0, q1, q2, q3;
    private final int[] querySub = new int[HashIndex.SUBSTRINGS];
    private final int radius;
    private final int subRadius;
    private final HashIndex.IntList out = new HashIndex.IntList();

    MultiIndexQuery(HashIndex index, PdqHash q, int radius) {
        this.hashes = index.hashes;
        this.tables = index.tables;
        this.q0 = q.w0();
        this.q1 = q.w1();
        this.q2 = q.w2();
        this.q3 = q.w3();
        long[] words = {q0, q1, q2, q3};
        for (int t = 0; t < HashIndex.SUBSTRINGS; t++) {
            querySub[t] = HashIndex.substring(words, 0, t);
        }
        this.radius = radius;
        this.subRadius = radius / HashIndex.SUBSTRINGS;
    }

    int[] run() {
        for (int t = 0; t < HashIndex.SUBSTRINGS; t++) {
            int prefix = querySub[t] >>> tables.bucketShift;
            enumerate(t, prefix, 0, 0);
        }
        return out.toArray();
    }

    /**
     * Visits the bucket of {@code prefix} (which differs from the query's prefix in {@code flipped} bits) and every
     * bucket that flips further prefix bits at positions ≥ {@code from}, up to {@code subRadius} flips in all.
     */
    private void enumerate(int t, int prefix, int from, int flipped) {
        scanBucket(t, prefix, flipped);
        if (flipped == subRadius) {
            return;
        }
        for (int b = from; b < tables.prefixBits; b++) {
            enumerate(t, prefix ^ (1 << b), b + 1, flipped + 1);
        }
    }

    /** Verifies the entries of a bucket whose fragment is within the remaining flip budget of the query's. */
    private void scanBucket(int t, int bucket, int flipped) {
        int[] directory = tables.directory[t];
        int lo = directory[bucket];
        int hi = directory[bucket + 1];
        if (lo == hi) {
            return;
        }
        long[] entries = tables.entries[t];
        int entryBits = tables.entryBits;
        int idBits = tables.idBits;
        long idMask = (1L << idBits) - 1;
        long queryFragment = (querySub[t] >>> tables.fragmentShift) & tables.fragmentMask;
        int budget = subRadius - flipped;
        for (int e = lo; e < hi; e++) {
            long v = PackedInts.get(entries, e, entryBits);
            if (Long.bitCount((v >>> idBits) ^ queryFragment) <= budget) {
                verify(t, (int) (v & idMask));
            }
        }
    }

    /** Reports {@code id} if table {@code t} is the first where it is within ⌊D/8⌋ and it is within D overall. */
    private void verify(int t, int id) {
        int base = 4 * id;
        if (Integer.bitCount(HashIndex.substring(hashes, base, t) ^ querySub[t]) > subRadius) {
            return;
        }
        for (int s = 0; s < t; s++) {
            if (Integer.bitCount(HashIndex.substring(hashes, base, s) ^ querySub[s]) <= subRadius) {
                return; // found, or to be found, in the earlier table s
            }
        }
        int d = Long.bitCount(hashes[base] ^ q0) + Long.bitCount(hashes[base + 1] ^ q1)
                + Long.bitCount(hashes[base + 2] ^ q2) + Long.bitCount(hashes[base + 3] ^ q3);
        if (d <= radius) {
            out.add(id);
        }
    }
}
