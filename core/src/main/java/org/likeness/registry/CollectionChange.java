package org.likeness.registry;

/** What a rescan found compared with the images recorded before (by path and sha256). */
public record CollectionChange(int added, int removed, int changed, int unchanged) {
}
