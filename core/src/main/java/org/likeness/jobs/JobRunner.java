package org.likeness.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.app.Cancellation;
import org.likeness.app.Listener;

/** Runs one kind of job: a use case of {@code org.likeness.app} on the job's request, in the job's folder. */
public interface JobRunner {
    /**
     * Runs the job to its end; returns its result (counts, verdict) as a JSON object. Throws
     * {@link org.likeness.app.CancelledException} when cancelled, anything else when it failed.
     *
     * @param resumed whether an earlier attempt was cut short (a restart): what it wrote is in the folder
     */
    JsonNode run(Job job, boolean resumed, Listener listener, Cancellation cancellation) throws Exception;

    /**
     * Whether a job of this kind cut short by a restart can run again from what it left (its use case checkpoints);
     * otherwise the job is failed with the reason.
     */
    boolean resumable();
}
