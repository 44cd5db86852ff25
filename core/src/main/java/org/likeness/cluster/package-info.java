/**
 * In: items and the pairs of them that are "the same" (same person, same photo). Out: groups (connected components).
 * Never knows about images, models or consent: it only groups indexes.
 */
package org.likeness.cluster;
