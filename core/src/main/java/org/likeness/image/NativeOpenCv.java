package org.likeness.image;

/** Loads OpenCV's native library once per JVM (the openpnp jar ships it for each platform). */
public final class NativeOpenCv {
    private static final Object LOCK = new Object();
    private static boolean loaded;

    private NativeOpenCv() {
    }

    public static void load() {
        synchronized (LOCK) {
            if (!loaded) {
                nu.pattern.OpenCV.loadLocally();
                loaded = true;
            }
        }
    }
}
