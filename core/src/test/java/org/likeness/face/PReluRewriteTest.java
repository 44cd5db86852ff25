package org.likeness.face;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.model.ModelCatalogue;
import org.opencv.core.Mat;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * fr_feature's PRelu's rewritten into operations ONNX Runtime keeps in its blocked layout ({@link PReluRewrite}): the
 * optimised graph loses its layout reorders, and the embeddings of real faces are the same bit for bit as the
 * original model's.
 */
class PReluRewriteTest {
    private static final int FACES = 24;

    private static OrtSession.SessionOptions options() throws Exception {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
        return o;
    }

    /** How many layout reorders ONNX Runtime puts into the optimised graph of a model. */
    private static int reorders(byte[] model, Path dir, String name) throws Exception {
        Path optimised = dir.resolve(name + ".onnx");
        try (OrtSession.SessionOptions o = options()) {
            o.setOptimizedModelFilePath(optimised.toString());
            OrtEnvironment.getEnvironment().createSession(model, o).close();
        }
        String text = new String(Files.readAllBytes(optimised), StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int i = text.indexOf("ReorderInput"); i >= 0; i = text.indexOf("ReorderInput", i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void thePReluFreeGraphStaysInTheBlockedLayout(@TempDir Path dir) throws Exception {
        org.likeness.model.OnnxNative.prepare();
        byte[] original = Files.readAllBytes(Models.store().require(ModelCatalogue.ARCFACE512));
        byte[] rewritten = PReluRewrite.rewrite(original).orElseThrow();
        int before = reorders(original, dir, "original");
        assumeTrue(before > 0, "this CPU has no blocked (NCHWc) layout in ONNX Runtime");
        assertThat(reorders(rewritten, dir, "rewritten")).as("reorders left (original: " + before + ")").isZero();
        // models without PRelu are left alone
        assertThat(PReluRewrite.rewrite(Files.readAllBytes(Models.store().require(ModelCatalogue.ULTRAFACE)))).isEmpty();
        assertThat(PReluRewrite.rewrite(Files.readAllBytes(Models.store().require(ModelCatalogue.LANDMARK68)))).isEmpty();
        assertThat(PReluRewrite.rewrite("not a model".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void embeddingsOfRealFacesAreTheSameBitForBit() throws Exception {
        Path file = Models.store().require(ModelCatalogue.ARCFACE512);
        FacePipeline p = Models.pipeline();
        List<Path> photos;
        try (Stream<Path> s = Files.walk(SharedData.require("lfw-dev/images"))) {
            photos = s.filter(x -> x.toString().endsWith(".jpg")).sorted().toList();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int compared = 0;
        try (OnnxModel product = new OnnxModel(ModelCatalogue.ARCFACE512, file, 1);
             OrtSession.SessionOptions o = options();
             OrtSession plain = env.createSession(file.toString(), o)) {
            String input = plain.getInputNames().iterator().next();
            for (int i = 0; compared < FACES; i += photos.size() / FACES) {
                Mat img = RotatedFaceTest.read(photos.get(i));
                for (Face f : p.faces(img)) {
                    Mat aligned = FaceAligner.align(img, f.landmarks(), FaceAligner.SIZE);
                    byte[] px = new byte[FaceAligner.SIZE * FaceAligner.SIZE * 3];
                    aligned.get(0, 0, px);
                    aligned.release();
                    int plane = FaceAligner.SIZE * FaceAligner.SIZE;
                    float[] t = new float[3 * plane];
                    for (int k = 0; k < plane; k++) {
                        for (int c = 0; c < 3; c++) {
                            t[c * plane + k] = ((px[3 * k + 2 - c] & 0xff) - 127.5f) / 128f;
                        }
                    }
                    long[] shape = {1, 3, FaceAligner.SIZE, FaceAligner.SIZE};
                    float[] mine = product.runFirst(t, shape);
                    float[] theirs;
                    try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(t), shape);
                         OrtSession.Result r = plain.run(Map.of(input, in))) {
                        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                        theirs = new float[fb.remaining()];
                        fb.get(theirs);
                    }
                    assertThat(mine).as("raw fr_feature output of a face of " + photos.get(i).getFileName()).containsExactly(theirs);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(FACES);
    }
}
