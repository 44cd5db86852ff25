package org.likeness.registry;

/**
 * The result of recomputing the chain. When broken, {@code firstBrokenSeq} is the first sequence
 * number whose entry is missing, altered or out of place, and {@code reason} says which check failed.
 */
public record LogVerification(boolean intact, long entries, String headHash, long firstBrokenSeq, String reason) {
    static LogVerification ok(long entries, String head) {
        return new LogVerification(true, entries, head, 0, null);
    }

    static LogVerification broken(long entries, long seq, String reason) {
        return new LogVerification(false, entries, null, seq, reason);
    }
}
