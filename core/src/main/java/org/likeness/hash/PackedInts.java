package org.likeness.hash;

/** Fixed-width unsigned integers (1..63 bits each) packed back to back in a {@code long[]}. */
final class PackedInts {

    private PackedInts() {
    }

    /** Words needed for {@code count} values of {@code bits} bits, plus one so reads never run off the end. */
    static long[] allocate(long count, int bits) {
        long words = (count * bits + 63) / 64 + 1;
        if (words > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " values of " + bits + " bits do not fit in one array");
        }
        return new long[(int) words];
    }

    static long get(long[] words, long index, int bits) {
        long bit = index * bits;
        int w = (int) (bit >>> 6);
        int shift = (int) (bit & 63);
        long value = words[w] >>> shift;
        if (shift + bits > 64) {
            value |= words[w + 1] << (64 - shift);
        }
        return value & ((1L << bits) - 1);
    }

    /** Stores {@code value} (which must fit in {@code bits}) at a slot that is still zero. */
    static void setFresh(long[] words, long index, int bits, long value) {
        long bit = index * bits;
        int w = (int) (bit >>> 6);
        int shift = (int) (bit & 63);
        words[w] |= value << shift;
        if (shift + bits > 64) {
            words[w + 1] |= value >>> (64 - shift);
        }
    }
}
