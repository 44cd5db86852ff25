package org.likeness.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.zip.ZipEntry;

/**
 * Loads OpenCV's native library once per JVM (the openpnp jar ships it for each platform). The library is unpacked
 * once into {@code $LIKENESS_HOME/native/opencv-CRC-SIZE/PLATFORM} and loaded from there: left to itself, openpnp's
 * {@code loadLocally} inflates the whole library (50 MB) into a new temp folder on every start, about 0.4 s of CPU per
 * command (docs/BENCHMARKS.md, "Scan CPU profile"). The folder is named by the jar entry's CRC and size, so a library
 * of another build is never loaded. Where the home cannot be written, or the platform is not one unpacked here,
 * openpnp's own loader is used.
 */
public final class NativeOpenCv {
    private static final Object LOCK = new Object();
    private static boolean loaded;

    private NativeOpenCv() {
    }

    public static void load() {
        synchronized (LOCK) {
            if (!loaded) {
                if (!loadUnpacked()) {
                    nu.pattern.OpenCV.loadLocally();
                }
                loaded = true;
            }
        }
    }

    /** Loads the library from the home's native folder, unpacking it there first if needed; false if it cannot. */
    private static boolean loadUnpacked() {
        String platform = platform();
        String file = System.mapLibraryName("opencv_java490");
        if (platform == null) {
            return false;
        }
        URL url = nu.pattern.OpenCV.class.getResource("/nu/pattern/opencv/" + platform + "/" + file);
        if (url == null) {
            return false;
        }
        try {
            URLConnection c = url.openConnection();
            if (!(c instanceof JarURLConnection jar)) {
                return false;
            }
            ZipEntry entry = jar.getJarEntry();
            if (entry == null || entry.getCrc() < 0 || entry.getSize() < 0) {
                return false;
            }
            Path dir = home().resolve("native").resolve("opencv-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize())
                    .resolve(platform.replace('/', '-'));
            Path target = dir.resolve(file);
            if (!Files.isRegularFile(target) || Files.size(target) != entry.getSize()) {
                Files.createDirectories(dir);
                Path tmp = Files.createTempFile(dir, file, ".part");
                try (InputStream in = jar.getInputStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            System.load(target.toAbsolutePath().toString());
            return true;
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            return false; // a read-only home, or a library this system cannot load: openpnp's loader says what is wrong
        }
    }

    /** {@code $LIKENESS_HOME}, default {@code ~/.cache/likeness}: the rule of {@code model.ModelStore.defaultHome()}. */
    private static Path home() {
        String env = System.getenv("LIKENESS_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "likeness");
    }

    /** openpnp's folder for this machine's library, or null for platforms left to its own loader. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "ARMv8" : null;
        return o == null || a == null ? null : o + "/" + a;
    }
}
