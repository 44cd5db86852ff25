/**
 * In: values to write or bytes to read. Out: the shared Jackson configuration ({@link org.likeness.json.Json}).
 * Never knows: anything of Likeness's domain; it depends on Jackson alone.
 */
package org.likeness.json;
