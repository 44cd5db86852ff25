package org.likeness.fingerprint;

import java.util.List;

/**
 * What a trace may say about one suspect image.
 *
 * @param outcome     {@link Outcome#NAMED} only when {@code recipient}'s statistic cleared {@code threshold}
 * @param recipient   the named recipient, or null
 * @param threshold   the z a candidate had to reach: {@link FingerprintDetector#threshold(int)} for this many candidates
 * @param scores      one per distinct candidate, in the order given (empty when the copy was not registered)
 * @param correlation how well the suspect aligned with the original (normalised correlation over the overlap; NaN when
 *                    no alignment was tried)
 * @param overlap     fraction of the original the aligned suspect covers
 * @param warp        the alignment found, canvas → suspect coordinates {a, b, c, d, e, f} (x' = ax + by + c,
 *                    y' = dx + ey + f), for inspection; empty when none was tried
 * @param reason      one line a report can print: who was named and why, or why nobody was
 */
public record Detection(Outcome outcome, String recipient, double threshold, List<Score> scores, double correlation,
                        double overlap, double[] warp, String reason) {

    public enum Outcome {
        /** One recipient's mark is present beyond the false-accusation threshold. */
        NAMED,
        /** The copy aligned with the original, but no candidate's statistic cleared the threshold. */
        NO_RECIPIENT,
        /** The suspect could not be aligned with the original (not a copy of it, too small, or too far edited). */
        NOT_REGISTERED,
        /** The original itself cannot carry a mark (e.g. smaller than 32 px), so nothing can be read. */
        UNUSABLE_ORIGINAL
    }

    /**
     * One candidate's evidence.
     *
     * @param z      the normalised correlation statistic Σ wᵢrᵢ / √Σ rᵢ² (see {@link FingerprintDetector})
     * @param pValue bound on the probability of a z this large if the copy does not carry this candidate's mark:
     *               exp(−z²/2) for z &gt; 0 (Hoeffding), else 1
     */
    public record Score(String recipientId, double z, double pValue) {
    }

    public Detection {
        scores = List.copyOf(scores);
        warp = warp.clone();
        if ((outcome == Outcome.NAMED) != (recipient != null)) {
            throw new IllegalArgumentException("a detection names a recipient exactly when its outcome is NAMED");
        }
    }

    @Override
    public double[] warp() {
        return warp.clone();
    }

    /** The score of a candidate, or null when it was not among the candidates. */
    public Score scoreOf(String recipientId) {
        return scores.stream().filter(s -> s.recipientId().equals(recipientId)).findFirst().orElse(null);
    }
}
