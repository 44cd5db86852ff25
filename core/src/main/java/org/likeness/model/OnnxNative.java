package org.likeness.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * ONNX Runtime's native libraries, unpacked once into {@code $LIKENESS_HOME/native/onnxruntime-VERSION/PLATFORM} and
 * loaded from there ({@code onnxruntime.native.path}). Left to itself, ONNX Runtime unpacks them into a new
 * {@code onnxruntime-java*} folder of the system temp directory on every run and leaves the folder behind (it asks for
 * deletion on exit of the folder before its files). With the libraries in place it creates an empty temp folder that
 * it does delete on exit. Call {@link #prepare()} before the first {@code OrtEnvironment} use.
 */
public final class OnnxNative {
    /** The libraries ONNX Runtime's Java binding loads, in the names its jar ships them under. */
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");
    private static final String PROPERTY = "onnxruntime.native.path";
    private static boolean prepared;

    private OnnxNative() {
    }

    public static synchronized void prepare() {
        if (prepared || System.getProperty(PROPERTY) != null) {
            prepared = true;
            return;
        }
        prepared = true;
        String platform = platform();
        if (platform == null) {
            return; // an unknown platform: ONNX Runtime's own loader says what is wrong
        }
        String version = ai.onnxruntime.OrtEnvironment.class.getPackage().getImplementationVersion();
        if (version == null) {
            return; // no version to name the folder by: libraries of another version must never be loaded
        }
        Path dir = ModelStore.defaultHome().resolve("native").resolve("onnxruntime-" + version).resolve(platform);
        try {
            for (String lib : LIBRARIES) {
                String file = System.mapLibraryName(lib);
                Path target = dir.resolve(file);
                if (Files.isRegularFile(target)) {
                    continue;
                }
                try (InputStream in = ai.onnxruntime.OrtEnvironment.class.getResourceAsStream("/ai/onnxruntime/native/" + platform + "/" + file)) {
                    if (in == null) {
                        return; // a jar without this platform's libraries: leave the loading to ONNX Runtime
                    }
                    Files.createDirectories(dir);
                    Path tmp = Files.createTempFile(dir, file, ".part");
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.setProperty(PROPERTY, dir.toString());
        } catch (IOException | RuntimeException e) {
            // a read-only home: ONNX Runtime unpacks into the temp directory as before
        }
    }

    /** ONNX Runtime's folder name for this machine (as in its OnnxRuntime.initOsArch), or null. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx" : null;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") ? "aarch64" : null;
        return o == null || a == null ? null : o + "-" + a;
    }
}
