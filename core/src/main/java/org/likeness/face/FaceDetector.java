package org.likeness.face;

import org.opencv.core.Mat;

import java.util.List;

/** Finds faces in a BGR image. Implementations are thread-safe. */
public interface FaceDetector extends AutoCloseable {
    /** Faces in decreasing score order, boxes in the image's pixels. */
    List<Detection> detect(Mat bgr);

    /** The catalogue id of the model behind it. */
    String modelId();

    @Override
    void close();
}
