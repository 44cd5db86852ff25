package org.likeness.registry;

import java.util.Optional;

/**
 * The answer of {@link TemplateGallery#identify}. {@code candidate} is the best-scoring subject (for
 * diagnostics) even when the outcome is not MATCH; only {@link #subject()} says who it is.
 */
public record Identification(Outcome outcome, String candidate, double score, String runnerUp, double runnerUpScore) {

    /** Why a probe was or was not attributed to a subject. */
    public enum Outcome {
        /** Above the threshold and ahead of the runner-up by the margin. */
        MATCH,
        /** The best score is below the threshold. */
        BELOW_THRESHOLD,
        /** Above the threshold but too close to a different subject. */
        AMBIGUOUS,
        /** No template of this model is enrolled. */
        EMPTY_GALLERY
    }

    /** The matched subject; empty unless the outcome is MATCH. */
    public Optional<String> subject() {
        return outcome == Outcome.MATCH ? Optional.of(candidate) : Optional.empty();
    }

    static Identification decide(MatchPolicy policy, String best, double bestScore, String second, double secondScore) {
        if (best == null) {
            return new Identification(Outcome.EMPTY_GALLERY, null, Double.NaN, null, Double.NaN);
        }
        Outcome outcome;
        if (bestScore < policy.threshold()) {
            outcome = Outcome.BELOW_THRESHOLD;
        } else if (second != null && bestScore - secondScore < policy.margin()) {
            outcome = Outcome.AMBIGUOUS;
        } else {
            outcome = Outcome.MATCH;
        }
        return new Identification(outcome, best, bestScore, second, second == null ? Double.NaN : secondScore);
    }
}
