/**
 * In: a dataset (folder, .zip, .tar, .tar.gz) read entry by entry. Out: one {@link org.likeness.scan.ScanRecord} per image, streamed to a JSONL.gz scan file.
 * Never knows about consent, subjects or the registry: a scan only records what is in the images.
 */
package org.likeness.scan;
