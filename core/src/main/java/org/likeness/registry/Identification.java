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

    /**
     * The answer of a whole gallery from the answers of its disjoint blocks (each block's best and best different
     * subject): the whole gallery's best subject is the best of the block where it scores highest, and its runner-up
     * is that block's best or second there, so the merge of exact blocks is exact (docs/DECISIONS.md, "Big
     * identification").
     */
    public static Identification merge(MatchPolicy policy, java.util.Collection<Identification> blocks) {
        java.util.Map<String, Double> best = new java.util.HashMap<>();
        for (Identification id : blocks) {
            if (id.candidate() != null) {
                best.merge(id.candidate(), id.score(), Math::max);
            }
            if (id.runnerUp() != null) {
                best.merge(id.runnerUp(), id.runnerUpScore(), Math::max);
            }
        }
        String first = null, second = null;
        double firstScore = Double.NEGATIVE_INFINITY, secondScore = Double.NEGATIVE_INFINITY;
        for (java.util.Map.Entry<String, Double> e : best.entrySet()) {
            double s = e.getValue();
            if (s > firstScore || (s == firstScore && first != null && e.getKey().compareTo(first) < 0)) {
                second = first;
                secondScore = firstScore;
                first = e.getKey();
                firstScore = s;
            } else if (s > secondScore || (s == secondScore && second != null && e.getKey().compareTo(second) < 0)) {
                second = e.getKey();
                secondScore = s;
            }
        }
        return decide(policy, first, firstScore, second, secondScore);
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
