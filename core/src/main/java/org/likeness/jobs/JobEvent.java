package org.likeness.jobs;

/**
 * What a subscriber hears about a job: {@code state} (with the new state and, when it failed, the error),
 * {@code progress} (stage, done, total) or {@code problem} (a file that could not be used, and why).
 */
public record JobEvent(String jobId, String type, JobState state, String stage, long done, long total, String message) {
    public static final String STATE = "state";
    public static final String PROGRESS = "progress";
    public static final String PROBLEM = "problem";
}
