/** In: synthetic inputs of a stated size (random unit vectors) and the library's public entry points. */
/** Out: JMH timings and printed quality figures (e.g. HNSW recall), recorded in the docs with machine and command. */
/** Never knows about: tests, real subjects or real databases; it measures kernels, not the product end to end. */
package org.likeness.bench;
