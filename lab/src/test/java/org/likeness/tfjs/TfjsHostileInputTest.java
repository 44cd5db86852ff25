package org.likeness.tfjs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.lab.LabMain;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed and hostile TF.js graphs: each refused with the file and the node, one line through the CLI. */
class TfjsHostileInputTest {
    /** base64 of "SAME" and "NCHW". */
    static final String SAME = "U0FNRQ==", NCHW = "TkNIVw==";

    static Path model(Path dir, String nodes, String weights, int bytes) throws IOException {
        Path json = dir.resolve("m.json");
        Files.writeString(json, """
                {"format":"graph-model","modelTopology":{"node":[
                  {"name":"x","op":"Placeholder","attr":{"shape":{"shape":{"dim":[{"size":"-1"},{"size":"4"},{"size":"4"},{"size":"2"}]}}}},
                  %s]},
                 "weightsManifest":[{"paths":["m.bin"],"weights":[%s]}]}
                """.formatted(nodes, weights));
        Files.write(dir.resolve("m.bin"), new byte[bytes]);
        return json;
    }

    /** Runs the CLI with stderr captured; returns {exit code, stderr}. */
    static Object[] cli(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int rc = LabMain.run(args);
            return new Object[]{rc, err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(old);
        }
    }

    static void assertOneLine(Object[] result, String path, String reason) {
        assertThat((int) result[0]).isNotZero();
        String err = (String) result[1];
        assertThat(err.lines().toList()).as(err).hasSize(1);
        assertThat(err).startsWith("likeness: " + path + ": ").contains(reason).doesNotContain("internal error");
    }

    @Test
    void aConvolutionWithoutStridesOrPaddingIsRefusedNamingTheNode(@TempDir Path tmp) throws IOException {
        String filter = "{\"name\":\"f\",\"shape\":[1,1,2,2],\"dtype\":\"float32\"}";
        for (String attr : List.of("{\"padding\":{\"s\":\"" + SAME + "\"}}",
                "{\"strides\":{\"list\":{\"i\":[\"1\",\"1\",\"1\",\"1\"]}}}",
                "{\"padding\":{\"s\":\"" + SAME + "\"},\"strides\":{\"list\":{\"i\":[\"1\"]}}}")) {
            Path json = model(tmp, """
                    {"name":"f","op":"Const"},
                    {"name":"y","op":"Conv2D","input":["x","f"],"attr":%s}""".formatted(attr), filter, 16);
            TfjsModel m = TfjsModel.read(json);
            assertThatThrownBy(() -> TfjsToOnnx.convert(m, List.of("y"))).as(attr)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y");
            assertOneLine(cli("eval", "import-tfjs", json.toString(), "-o", tmp.resolve("o.onnx").toString()),
                    json.toString(), "cannot import");
        }
    }

    @Test
    void aNodeWithTooFewInputsIsRefusedNamingTheNode(@TempDir Path tmp) throws IOException {
        Path json = model(tmp, "{\"name\":\"y\",\"op\":\"Reshape\",\"input\":[\"x\"]}", "", 0);
        TfjsModel m = TfjsModel.read(json);
        assertThatThrownBy(() -> TfjsToOnnx.convert(m, List.of("y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'y'");
    }

    @Test
    void duplicateNodeNamesAreRefused(@TempDir Path tmp) throws IOException {
        // the second "x" would silently replace the Placeholder: the graph would read a Relu of itself or of nothing
        Path json = model(tmp, """
                {"name":"x","op":"Relu","input":["x"]},
                {"name":"y","op":"Relu","input":["x"]}""", "", 0);
        assertThatThrownBy(() -> TfjsModel.read(json)).isInstanceOf(IOException.class)
                .hasMessageContaining(json.toString()).hasMessageContaining("'x'");
    }

    @Test
    void aBiasAddOnNchwIsRefusedNotAddedOnTheLastAxis(@TempDir Path tmp) throws IOException {
        // x is [N,4,4,2]: as NCHW its channels are the 4 of axis 1; an Add would broadcast b over the last axis instead
        Path json = model(tmp, """
                {"name":"b","op":"Const"},
                {"name":"y","op":"BiasAdd","input":["x","b"],"attr":{"data_format":{"s":"%s"}}}""".formatted(NCHW),
                "{\"name\":\"b\",\"shape\":[4],\"dtype\":\"float32\"}", 16);
        TfjsModel m = TfjsModel.read(json);
        assertThatThrownBy(() -> TfjsToOnnx.convert(m, List.of("y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'y'").hasMessageContaining("NCHW");
    }

    @Test
    void aModelJsonThatIsNotJsonIsOneLineNamingTheFile(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("m.json");
        Files.writeString(json, "{\"format\": \"graph-model\",\n  \"modelTopology\": [oops");
        assertOneLine(cli("eval", "import-tfjs", json.toString(), "-o", tmp.resolve("o.onnx").toString()),
                json.toString(), "not JSON");
    }

    @Test
    void anUnknownEmbedderIsOneLineNotAnInternalError(@TempDir Path tmp) {
        assertOneLine(cli("eval", "import-tfjs", "--embedder", "human-nope", "-o", tmp.resolve("o.onnx").toString()),
                "human-nope", "no imported embedder");
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheWeight(@TempDir Path tmp) throws IOException {
        // a NaN weight makes every embedding NaN: no face would ever match, silently
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY}) {
            Path json = model(tmp, "{\"name\":\"w\",\"op\":\"Const\"}", "{\"name\":\"w\",\"shape\":[2],\"dtype\":\"float32\"}", 0);
            Files.write(tmp.resolve("m.bin"), java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putFloat(1f).putFloat(bad).array());
            assertThatThrownBy(() -> TfjsModel.read(json)).as("%s", bad).isInstanceOf(IOException.class)
                    .hasMessageContaining(json.toString()).hasMessageContaining("weight w").hasMessageContaining("not finite");
        }
        Path json = model(tmp, "{\"name\":\"w\",\"op\":\"Const\"}",
                "{\"name\":\"w\",\"shape\":[1],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"float16\"}}", 0);
        Files.write(tmp.resolve("m.bin"), new byte[]{0x00, 0x7C}); // binary16 +Inf
        assertThatThrownBy(() -> TfjsModel.read(json)).isInstanceOf(IOException.class).hasMessageContaining("not finite");
    }

    @Test
    void aWeightNamedTwiceIsRefused(@TempDir Path tmp) throws IOException {
        // the second spec's bytes would silently replace the first's
        Path json = model(tmp, "{\"name\":\"w\",\"op\":\"Const\"}",
                "{\"name\":\"w\",\"shape\":[1],\"dtype\":\"float32\"},{\"name\":\"w\",\"shape\":[1],\"dtype\":\"float32\"}", 8);
        assertThatThrownBy(() -> TfjsModel.read(json)).isInstanceOf(IOException.class)
                .hasMessageContaining(json.toString()).hasMessageContaining("weight w");
    }

    @Test
    void aGraphWithNoSinkIsRefusedNotWrittenWithoutOutputs(@TempDir Path tmp) throws IOException {
        // a and b read each other: no node is unused, so "every sink" was nothing and an empty model was written
        Path json = model(tmp, """
                {"name":"a","op":"Relu","input":["b"]},
                {"name":"b","op":"Relu","input":["a","x"]}""", "", 0);
        Files.writeString(json, Files.readString(json).replace("\"x\",\"op\":\"Placeholder\"", "\"x\",\"op\":\"Const\""));
        TfjsModel m = TfjsModel.read(json);
        assertThatThrownBy(() -> TfjsToOnnx.convert(m, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no output");
    }

    @Test
    void aShardThatIsNotARegularFileIsRefusedNotReadForever(@TempDir Path tmp) throws IOException {
        Path json = model(tmp, "{\"name\":\"w\",\"op\":\"Const\"}", "{\"name\":\"w\",\"shape\":[1],\"dtype\":\"float32\"}", 0);
        Files.delete(tmp.resolve("m.bin"));
        Files.createSymbolicLink(tmp.resolve("m.bin"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> TfjsModel.read(json)).isInstanceOf(IOException.class)
                .hasMessageContaining("m.bin").hasMessageContaining("not a regular file");
    }
}
