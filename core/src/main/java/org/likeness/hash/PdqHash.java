package org.likeness.hash;

import java.util.HexFormat;

/**
 * A 256-bit PDQ hash. Bit {@code k} (0..255) is bit {@code k % 64} of word {@code k / 64}; bit {@code k} is the
 * DCT coefficient at row {@code k / 16}, column {@code k % 16} being above the median.
 *
 * <p>Hex form follows the reference ({@code pdq/cpp/common/pdqhashtypes.cpp}): 16-bit words 15 down to 0, four hex
 * digits each, i.e. the 256-bit number with bit {@code k} worth 2^k, written big-endian.
 *
 * @param w0 bits 0-63
 * @param w1 bits 64-127
 * @param w2 bits 128-191
 * @param w3 bits 192-255
 */
public record PdqHash(long w0, long w1, long w2, long w3) {

    /** Number of bits in a PDQ hash. */
    public static final int BITS = 256;
    /** Length of the hex form. */
    public static final int HEX_LENGTH = 64;

    /** Parses the reference's 64-digit hex form (either case). */
    public static PdqHash parse(String hex) {
        if (hex == null || hex.length() != HEX_LENGTH) {
            throw new IllegalArgumentException("PDQ hash must be " + HEX_LENGTH + " hex digits, got "
                    + (hex == null ? "null" : hex.length() + " characters: \"" + hex + "\""));
        }
        long[] w = new long[4];
        for (int i = 0; i < 4; i++) {
            String part = hex.substring(HEX_LENGTH - 16 * (i + 1), HEX_LENGTH - 16 * i);
            try {
                w[i] = Long.parseUnsignedLong(part, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("PDQ hash \"" + hex + "\" is not hexadecimal", e);
            }
        }
        return new PdqHash(w[0], w[1], w[2], w[3]);
    }

    /** Builds a hash from words, {@code words[0]} holding bits 0-63. */
    public static PdqHash ofWords(long[] words) {
        if (words.length != 4) {
            throw new IllegalArgumentException("PDQ hash needs 4 words, got " + words.length);
        }
        return new PdqHash(words[0], words[1], words[2], words[3]);
    }

    /** Word {@code i} (0..3), word 0 holding bits 0-63. */
    public long word(int i) {
        return switch (i) {
            case 0 -> w0;
            case 1 -> w1;
            case 2 -> w2;
            case 3 -> w3;
            default -> throw new IndexOutOfBoundsException("word " + i + " of a 4-word hash");
        };
    }

    /** Whether bit {@code k} (0..255) is set. */
    public boolean bit(int k) {
        return ((word(k >>> 6) >>> (k & 63)) & 1L) != 0;
    }

    /** Hamming distance (0..256). */
    public int distance(PdqHash other) {
        return Long.bitCount(w0 ^ other.w0) + Long.bitCount(w1 ^ other.w1)
                + Long.bitCount(w2 ^ other.w2) + Long.bitCount(w3 ^ other.w3);
    }

    /** Number of set bits. */
    public int bitCount() {
        return Long.bitCount(w0) + Long.bitCount(w1) + Long.bitCount(w2) + Long.bitCount(w3);
    }

    /**
     * The reference's hex form: 64 lower-case digits, the highest word first. Not {@code String.format}: its format
     * string is parsed by a regular expression on every call, once per photo in a scan, and the JIT's compilation of
     * that regular expression code was the largest single compilation of a 1,000-photo scan (docs/BENCHMARKS.md,
     * "Scan CPU, second pass").
     */
    public String toHex() {
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(w3) + hex.toHexDigits(w2) + hex.toHexDigits(w1) + hex.toHexDigits(w0);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
