package org.likeness.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that uses ONNX Runtime leaves nothing in the system temp directory: its native libraries are unpacked once
 * into $LIKENESS_HOME/native and loaded from there (a child JVM, so that its exit-time clean-up is part of the test).
 */
class OnnxNativeTest {
    @TempDir
    Path tmp;

    @Test
    void aCompareRunLeavesNoOnnxRuntimeFolderInTheTempDirectory() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        Path temp = Files.createDirectories(tmp.resolve("tmpdir"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Djava.io.tmpdir=" + temp, "-cp", System.getProperty("java.class.path"),
                "org.likeness.cli.Main", "compare", lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg").toString(),
                lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0002.jpg").toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("out.txt"))).isZero();
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(x -> x.getFileName().toString()).filter(n -> n.startsWith("onnxruntime-java")).toList())
                    .as("ONNX Runtime's temp folders left behind").isEmpty();
        }
        Path libs = ModelStore.defaultHome().resolve("native");
        try (Stream<Path> s = Files.walk(libs)) {
            assertThat(s.filter(f -> f.getFileName().toString().startsWith(System.mapLibraryName("onnxruntime4j_jni"))).count())
                    .isGreaterThanOrEqualTo(1);
        }
    }
}
