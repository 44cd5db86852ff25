package org.likeness.eval;

/** Two image paths (relative to the images root) and whether they show the same person; fold is -1 when the file has none. */
public record Pair(String a, String b, boolean same, int fold) {
}
