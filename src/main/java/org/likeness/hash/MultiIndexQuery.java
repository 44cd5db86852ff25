package org.likeness.hash;

/** One multi-index query: enumerates probe keys per table and verifies candidates (see {@link HashIndex}). */
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
            enumerate(t, querySub[t], 0, subRadius);
        }
        return out.toArray();
    }

    /** Probes {@code key} and every key that flips up to {@code flips} more bits at positions ≥ {@code from}. */
    private void enumerate(int t, int key, int from, int flips) {
        probe(t, key);
        if (flips == 0) {
            return;
        }
        for (int b = from; b < HashIndex.SUBSTRING_BITS; b++) {
            enumerate(t, key ^ (1 << b), b + 1, flips - 1);
        }
    }

    private void probe(int t, int key) {
        int[] directory = tables.directory[t];
        int bucket = key >>> tables.bucketShift;
        int lo = directory[bucket];
        int hi = directory[bucket + 1];
        if (lo == hi) {
            return;
        }
        long[] entries = tables.entries[t];
        int entryBits = tables.entryBits;
        int idBits = tables.idBits;
        long fragment = (key >>> tables.fragmentShift) & tables.fragmentMask;
        long idMask = (1L << idBits) - 1;
        for (int e = lo; e < hi; e++) {
            long v = PackedInts.get(entries, e, entryBits);
            long f = v >>> idBits;
            if (f < fragment) {
                continue;
            }
            if (f > fragment) {
                break;
            }
            verify(t, key, (int) (v & idMask));
        }
    }

    private void verify(int t, int key, int id) {
        int base = 4 * id;
        if (HashIndex.substring(hashes, base, t) != key) {
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
