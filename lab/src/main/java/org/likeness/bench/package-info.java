/**
 * In: decoded development photos, synthetic PDQ hashes and random unit vectors of a stated size. Out: JMH timings and
 * printed figures recorded in docs/BENCHMARKS.md, docs/PDQ.md and docs/REGISTRY.md with machine and command.
 * Never knows about the CLI, scan files or real subjects; nothing here is used by the pipeline.
 */
package org.likeness.bench;
