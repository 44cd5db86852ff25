/** In: photos from the shared development data (decoded at set-up) and synthetic PDQ hashes.
 *  Out: throughput, latency and robustness figures printed for docs/PDQ.md.
 *  Never knows about: the CLI, scan files, subjects or consent; nothing here is used by the pipeline. */
package org.likeness.bench;
