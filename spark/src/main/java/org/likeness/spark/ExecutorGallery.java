package org.likeness.spark;

import org.likeness.registry.GallerySnapshot;
import org.likeness.registry.TemplateGallery;

/**
 * The registry gallery on an executor: opened once per JVM from the broadcast snapshot with the key that reached the
 * executor as a secret, held in memory only (never written to disk), replaced when a job brings another snapshot.
 */
final class ExecutorGallery {
    /** The executor environment variable that carries the snapshot key (Spark redacts names with "secret" in its UI). */
    static final String KEY_ENV = "LIKENESS_SNAPSHOT_SECRET";

    private static TemplateGallery gallery;
    private static String openedId;
    /** In local mode the executors are the driver's own threads: the driver hands the key over in memory. */
    private static volatile String localKey;

    private ExecutorGallery() {
    }

    static void setLocalKey(String key) {
        localKey = key;
    }

    /** A block of a partitioned gallery, for one task: the caller closes it (zeroing its templates) when done. */
    static TemplateGallery block(byte[] snapshot) {
        return GallerySnapshot.open(snapshot, key(), TemplateGallery.Search.AUTO);
    }

    private static String key() {
        String key = System.getenv(KEY_ENV);
        if (key == null || key.isBlank()) {
            key = localKey;
        }
        if (key == null) {
            throw new IllegalStateException("no snapshot key on this executor: " + KEY_ENV + " is not set (spark.executorEnv."
                    + KEY_ENV + ")");
        }
        return key;
    }

    static synchronized TemplateGallery get(String id, byte[] snapshot) {
        if (gallery == null || !id.equals(openedId)) {
            if (gallery != null) {
                gallery.close();
            }
            gallery = GallerySnapshot.open(snapshot, key(), TemplateGallery.Search.AUTO);
            openedId = id;
        }
        return gallery;
    }
}
