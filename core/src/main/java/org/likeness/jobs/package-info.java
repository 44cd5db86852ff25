/**
 * Persistent jobs: audits, traces, collection scans and releases requested over the HTTP service run here, one
 * {@link org.likeness.jobs.JobEngine} per server. In: a kind, a request (string fields), the organisation and account
 * that asked. Out: a row in the registry's job table (state, progress, result counts, error), the job's files under
 * {@code $LIKENESS_HOME/jobs/ID}, and progress events for subscribers. Runs the use cases of {@code org.likeness.app};
 * never knows HTTP (the routes call it), picocli or how a use case does its work.
 */
package org.likeness.jobs;
