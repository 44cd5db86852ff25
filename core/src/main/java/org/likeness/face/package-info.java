/**
 * In: a decoded BGR image. Out: faces, each with a box, score, five landmarks, a quality and an L2-normalised identity vector.
 * Never knows about files, datasets, consent or the registry: it only finds and describes faces with ONNX models.
 */
package org.likeness.face;
