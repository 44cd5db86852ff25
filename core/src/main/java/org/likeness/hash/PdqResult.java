package org.likeness.hash;

/**
 * A PDQ hash with its quality.
 *
 * @param hash    the 256-bit hash
 * @param quality the reference's gradient-sum quality, 0..100; hashes below {@link #MIN_USEFUL_QUALITY} are
 *                unreliable (flat or near-flat images)
 */
public record PdqResult(PdqHash hash, int quality) {

    /** Quality below which Meta's PDQ documentation (hashing.pdf, "quality") advises discarding a hash. */
    public static final int MIN_USEFUL_QUALITY = 50;

    public PdqResult {
        if (hash == null) {
            throw new IllegalArgumentException("hash must not be null");
        }
        if (quality < 0 || quality > 100) {
            throw new IllegalArgumentException("PDQ quality must be 0..100, got " + quality);
        }
    }

    /** Whether the quality reaches {@link #MIN_USEFUL_QUALITY}. */
    public boolean useful() {
        return quality >= MIN_USEFUL_QUALITY;
    }
}
