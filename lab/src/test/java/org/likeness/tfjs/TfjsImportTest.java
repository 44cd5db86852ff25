package org.likeness.tfjs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.likeness.Models;
import org.likeness.face.Detection;
import org.likeness.face.EmbedderSpec;
import org.likeness.face.FaceAligner;
import org.likeness.face.FaceDetector;
import org.likeness.face.FacePipeline;
import org.likeness.face.LandmarkModel;
import org.likeness.face.Landmarks;
import org.likeness.face.OnnxModel;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelStore;
import org.opencv.core.Mat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The imported models compute what TF.js computes: each of human-models' four face networks, converted to ONNX and run
 * by ONNX Runtime, against the same model run by TF.js itself (pure-JS CPU backend, lab/tools/tfjs-reference) on the
 * same batch: a real aligned face from a demo photo, fed as the bake-off feeds it, and uniform noise over the same
 * value range. Also: what the importer refuses, and how.
 */
class TfjsImportTest {
    /** Largest difference allowed, relative to the reference output's largest magnitude (float32 summation order). */
    static final double MAX_RELATIVE_DIFFERENCE = 1e-4;
    static final Path REFERENCE = Path.of("tools/tfjs-reference");

    static List<ImportedEmbedder> models() {
        return ImportedEmbedder.ALL;
    }

    @ParameterizedTest
    @MethodSource("models")
    void onnxRuntimeMatchesTfjsOnTheSameInputs(ImportedEmbedder model, @TempDir Path tmp) throws Exception {
        ModelStore store = optionalModels();
        EmbedderSpec spec = model.spec();
        int s = spec.size();
        float[] batch = new float[2 * s * s * 3];
        System.arraycopy(alignedFace(store, spec), 0, batch, 0, s * s * 3);
        float lo = (0 - spec.mean()) / spec.std();
        float hi = (255 - spec.mean()) / spec.std();
        Random r = new Random(13);
        for (int i = s * s * 3; i < batch.length; i++) {
            batch[i] = lo + r.nextFloat() * (hi - lo);
        }
        long[] shape = {2, s, s, 3};

        Path onnx = model.importTo(store);
        float[] ours;
        try (OnnxModel m = new OnnxModel(model.id(), onnx, 1)) {
            Map<String, float[]> out = m.run(batch, shape);
            assertThat(out).containsOnlyKeys(model.output());
            ours = out.get(model.output());
        }
        // the store keeps each file in its own folder; TF.js wants the shard beside model.json
        Path json = Files.copy(store.require(model.id()), tmp.resolve("model.json"));
        Path bin = store.require(model.id() + ModelCatalogue.WEIGHTS);
        Files.copy(bin, tmp.resolve(bin.getFileName()));
        float[] ref = reference(json, batch, shape, model.output(), tmp);
        assertThat(ours).hasSameSizeAs(ref);
        double maxAbs = 0, maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(ref[i]));
            maxDiff = Math.max(maxDiff, Math.abs(ours[i] - ref[i]));
        }
        assertThat(maxAbs).as("reference output of %s is all zeros", model.id()).isGreaterThan(0);
        System.out.printf(java.util.Locale.ROOT, "%s: %d outputs, max |TF.js| %.4g, max |ONNX Runtime - TF.js| %.3g (relative %.2e)%n",
                model.id(), ref.length, maxAbs, maxDiff, maxDiff / maxAbs);
        assertThat(maxDiff / maxAbs).as("%s: max |ONNX Runtime − TF.js| / max |TF.js|", model.id())
                .isLessThanOrEqualTo(MAX_RELATIVE_DIFFERENCE);
    }

    @Test
    void theProductScansWithAnImportedEmbedder(@TempDir Path tmp) throws Exception {
        ModelStore store = optionalModels();
        Path onnx = tmp.resolve("mobileface.onnx");
        assertThat(org.likeness.lab.LabMain.run("eval", "import-tfjs", "--embedder", ImportedEmbedder.MOBILEFACE.id(),
                "-o", onnx.toString())).isZero();
        assertThat(tmp.resolve("mobileface.json")).content().contains("\"layout\" : \"NHWC\"");
        Path scan = tmp.resolve("s.jsonl.gz");
        assertThat(org.likeness.lab.LabMain.run("scan", "--embedder", onnx.toString(), "--no-progress",
                store.require("demo-sample1").getParent().toString(), "-o", scan.toString())).isZero();
        List<org.likeness.scan.ScanRecord> records = org.likeness.scan.ScanFile.readAll(scan);
        assertThat(org.likeness.scan.ScanFile.readHeader(scan).embedder()).startsWith("custom-mobileface-");
        assertThat(records).hasSize(1);
        assertThat(records.get(0).faces()).isNotEmpty()
                .allSatisfy(f -> assertThat(f.embedding().vector()).hasSize(256));
    }

    @Test
    void anUnsupportedOpIsRefusedWithItsNodeAndOp(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("m.json");
        Files.writeString(json, """
                {"format":"graph-model","modelTopology":{"node":[
                  {"name":"x","op":"Placeholder","attr":{"shape":{"shape":{"dim":[{"size":"-1"},{"size":"4"}]}}}},
                  {"name":"y","op":"Cumsum","input":["x","axis"]},
                  {"name":"axis","op":"Const"}]},
                 "weightsManifest":[{"paths":["m.bin"],"weights":[{"name":"axis","shape":[],"dtype":"int32"}]}]}
                """);
        Files.write(tmp.resolve("m.bin"), new byte[4]);
        TfjsModel m = TfjsModel.read(json);
        assertThatThrownBy(() -> TfjsToOnnx.convert(m, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'y'").hasMessageContaining("Cumsum");
    }

    @Test
    void truncatedAndEscapingWeightsAreRefusedNamingTheFile(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("m.json");
        String manifest = """
                {"format":"graph-model","modelTopology":{"node":[{"name":"w","op":"Const"}]},
                 "weightsManifest":[{"paths":["%s"],"weights":[{"name":"w","shape":[4],"dtype":"float32"}]}]}
                """;
        Files.writeString(json, manifest.formatted("m.bin"));
        Files.write(tmp.resolve("m.bin"), new byte[12]);
        assertThatThrownBy(() -> TfjsModel.read(json)).isInstanceOf(IOException.class)
                .hasMessageContaining(json.toString()).hasMessageContaining("runs past the end");
        Files.write(tmp.resolve("m.bin"), new byte[20]);
        assertThatThrownBy(() -> TfjsModel.read(json)).isInstanceOf(IOException.class).hasMessageContaining("left over");
        Files.writeString(json, manifest.formatted("../m.bin"));
        assertThatThrownBy(() -> TfjsModel.read(json)).isInstanceOf(IOException.class).hasMessageContaining("leaves the model's folder");
    }

    @Test
    void hostileShapesAreRefusedBeforeAnyAllocation(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("m.json");
        Files.write(tmp.resolve("m.bin"), new byte[16]);
        for (String shape : List.of("[-4]", "[65536, 65536, 65536]", "[\"x\"]")) {
            Files.writeString(json, """
                    {"format":"graph-model","modelTopology":{"node":[{"name":"w","op":"Const"}]},
                     "weightsManifest":[{"paths":["m.bin"],"weights":[{"name":"w","shape":%s,"dtype":"float32"}]}]}
                    """.formatted(shape));
            assertThatThrownBy(() -> TfjsModel.read(json)).as(shape).isInstanceOf(IOException.class)
                    .hasMessageContaining(json.toString()).hasMessageContaining("weight w");
        }
    }

    @Test
    void aConvolutionWhoseFilterIsNotRankFourIsRefused(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("m.json");
        Files.writeString(json, """
                {"format":"graph-model","modelTopology":{"node":[
                  {"name":"x","op":"Placeholder","attr":{"shape":{"shape":{"dim":[{"size":"-1"},{"size":"8"},{"size":"8"},{"size":"1"}]}}}},
                  {"name":"f","op":"Const"},
                  {"name":"y","op":"Conv2D","input":["x","f"],"attr":{"padding":{"s":"U0FNRQ=="},"strides":{"list":{"i":["1","1","1","1"]}}}}]},
                 "weightsManifest":[{"paths":["m.bin"],"weights":[{"name":"f","shape":[4],"dtype":"float32"}]}]}
                """);
        Files.write(tmp.resolve("m.bin"), new byte[16]);
        TfjsModel m = TfjsModel.read(json);
        assertThatThrownBy(() -> TfjsToOnnx.convert(m, List.of("y"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'y'".replace("'", "")).hasMessageContaining("rank 4");
        assertThat(org.likeness.lab.LabMain.run("eval", "import-tfjs", json.toString(), "-o", tmp.resolve("o.onnx").toString()))
                .isNotZero();
        assertThat(tmp.resolve("o.onnx")).doesNotExist();
    }

    @Test
    void halfFloatsDecodeExactly() {
        assertThat(TfjsModel.halfToFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(TfjsModel.halfToFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(TfjsModel.halfToFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(TfjsModel.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TfjsModel.halfToFloat((short) 0x7BFF)).isEqualTo(65504f);
        assertThat(TfjsModel.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    /** The human-models files, fetched by the test command (`models fetch --optional`). */
    static ModelStore optionalModels() {
        ModelStore store = Models.store();
        for (ImportedEmbedder e : ImportedEmbedder.ALL) {
            for (String id : List.of(e.id(), e.id() + ModelCatalogue.WEIGHTS)) {
                if (!store.isPresent(ModelCatalogue.byId(id))) {
                    throw new AssertionError("model " + id + " missing: run `likeness models fetch --optional` (./likeness test does)");
                }
            }
        }
        return store;
    }

    /** The first demo photo's largest face, aligned at the model's side and normalised as the bake-off feeds it. */
    static float[] alignedFace(ModelStore store, EmbedderSpec spec) throws Exception {
        Path photo = store.require("demo-sample1");
        try (FaceDetector det = FacePipeline.detector(store, ModelCatalogue.ULTRAFACE, 1);
             LandmarkModel lm = new LandmarkModel(store.require(ModelCatalogue.LANDMARK68), 1);
             DecodedImage img = new ImageDecoder().decode(photo.toString(), Files.readAllBytes(photo))) {
            Detection d = det.detect(img.bgr()).stream().max((a, b) -> Float.compare(a.box().area(), b.box().area())).orElseThrow();
            Landmarks five = LandmarkModel.toFive(lm.points68(img.bgr(), d.box()));
            Mat aligned = FaceAligner.align(img.bgr(), five, spec.size());
            try {
                int s = spec.size();
                byte[] px = new byte[s * s * 3];
                aligned.get(0, 0, px);
                float[] t = new float[px.length];
                for (int i = 0; i < s * s; i++) {
                    for (int c = 0; c < 3; c++) {
                        int src = 3 * i + (spec.rgb() ? 2 - c : c);
                        t[3 * i + c] = ((px[src] & 0xff) - spec.mean()) / spec.std();
                    }
                }
                return t;
            } finally {
                aligned.release();
            }
        }
    }

    /** Runs the TF.js reference on the batch and returns the named output. */
    static float[] reference(Path modelJson, float[] batch, long[] shape, String output, Path tmp) throws Exception {
        assertThat(REFERENCE.resolve("node_modules/@tensorflow/tfjs-converter")).as(
                "TF.js reference not installed: run `npm ci --prefix lab/tools/tfjs-reference` (./likeness test does)").isDirectory();
        Path in = tmp.resolve("in.f32");
        ByteBuffer b = ByteBuffer.allocate(4 * batch.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(batch);
        Files.write(in, b.array());
        List<String> cmd = new ArrayList<>(List.of("node", REFERENCE.resolve("run.mjs").toString(), modelJson.toString(), in.toString()));
        for (long d : shape) {
            cmd.add(Long.toString(d));
        }
        cmd.add(tmp.resolve("ref").toString());
        cmd.add(output);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("node.log").toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("TF.js reference finished").isTrue();
        assertThat(p.exitValue()).as("TF.js reference exit status; log: %s", Files.readString(tmp.resolve("node.log"))).isZero();
        ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(tmp.resolve("ref.0.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[out.remaining() / 4];
        out.asFloatBuffer().get(v);
        return v;
    }
}
