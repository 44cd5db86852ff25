package org.likeness.hash;

import java.util.Arrays;

/**
 * The per-substring tables of a {@link HashIndex}. Table {@code t} lists all ids sorted by substring {@code t}; entry
 * {@code e} packs {@code fragment << idBits | id} in {@code entryBits} bits, where the fragment is the
 * {@code fragmentBits} key bits below the {@code prefixBits} that select the directory bucket.
 * {@code directory[t][b] .. directory[t][b+1]} is the entry range of bucket {@code b}.
 */
final class HashTables {

    /**
     * Bits per table entry (id + fragment) we aim for: 8 tables × 28 bits = 28 bytes, which with the 32-byte hash
     * and ≤ 2 bytes of directory keeps an index within 64 bytes per stored hash (our budget, docs/PDQ.md).
     */
    static final int ENTRY_BUDGET_BITS = 28;
    /** Directory buckets ≈ stored hashes / 2^this, so a bucket averages 16-32 entries and costs ≤ 2 bytes/hash. */
    static final int BUCKET_LOG2_ENTRIES = 4;
    static final int MAX_PREFIX_BITS = 26;

    final int prefixBits;
    final int fragmentBits;
    final int idBits;
    final int entryBits;
    final int bucketShift;
    final int fragmentShift;
    final long fragmentMask;
    final int[][] directory;
    final long[][] entries;

    HashTables(int prefixBits, int fragmentBits, int idBits, int[][] directory, long[][] entries) {
        this.prefixBits = prefixBits;
        this.fragmentBits = fragmentBits;
        this.idBits = idBits;
        this.entryBits = idBits + fragmentBits;
        this.bucketShift = HashIndex.SUBSTRING_BITS - prefixBits;
        this.fragmentShift = HashIndex.SUBSTRING_BITS - prefixBits - fragmentBits;
        this.fragmentMask = (1L << fragmentBits) - 1;
        this.directory = directory;
        this.entries = entries;
    }

    static int prefixBitsFor(int size) {
        int log2 = 31 - Integer.numberOfLeadingZeros(Math.max(size, 1));
        return Math.max(1, Math.min(MAX_PREFIX_BITS, log2 - BUCKET_LOG2_ENTRIES));
    }

    static int idBitsFor(int size) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(size - 1, 0)));
    }

    static int fragmentBitsFor(int prefixBits, int idBits) {
        return Math.min(HashIndex.SUBSTRING_BITS - prefixBits, Math.max(0, ENTRY_BUDGET_BITS - idBits));
    }

    /** Builds the tables for {@code size} hashes stored 4 words each in {@code hashes}. */
    static HashTables build(long[] hashes, int size) {
        int p = prefixBitsFor(size);
        int idBits = idBitsFor(size);
        int f = fragmentBitsFor(p, idBits);
        int entryBits = idBits + f;
        int[][] directory = new int[HashIndex.SUBSTRINGS][];
        long[][] entries = new long[HashIndex.SUBSTRINGS][];
        long[] sorted = new long[size];
        for (int t = 0; t < HashIndex.SUBSTRINGS; t++) {
            for (int id = 0; id < size; id++) {
                long key = HashIndex.substring(hashes, 4 * id, t) & 0xffffffffL;
                sorted[id] = key << 31 | id;
            }
            Arrays.sort(sorted);
            int[] dir = new int[(1 << p) + 1];
            long[] packed = PackedInts.allocate(size, entryBits);
            int bucket = 0;
            for (int e = 0; e < size; e++) {
                long key = sorted[e] >>> 31;
                int b = (int) (key >>> (HashIndex.SUBSTRING_BITS - p));
                while (bucket <= b) {
                    dir[bucket++] = e;
                }
                long fragment = (key >>> (HashIndex.SUBSTRING_BITS - p - f)) & ((1L << f) - 1);
                long id = sorted[e] & 0x7fffffffL;
                PackedInts.setFresh(packed, e, entryBits, fragment << idBits | id);
            }
            while (bucket < dir.length) {
                dir[bucket++] = size;
            }
            directory[t] = dir;
            entries[t] = packed;
        }
        return new HashTables(p, f, idBits, directory, entries);
    }

    long memoryBytes() {
        long bytes = 0;
        for (int t = 0; t < HashIndex.SUBSTRINGS; t++) {
            bytes += 4L * directory[t].length + 8L * entries[t].length;
        }
        return bytes;
    }
}
