package org.likeness.bench;

import org.likeness.face.Detection;
import org.likeness.face.FaceDetector;
import org.opencv.core.Mat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A detector that counts its runs: the upright run of every photo plus the quarter turns searched for orientation. */
public final class CountingDetector implements FaceDetector {
    /** The detector counted (also for uncounted runs, e.g. a test's own reference detection). */
    public final FaceDetector inner;
    /** Runs so far. */
    public final AtomicLong runs = new AtomicLong();

    public CountingDetector(FaceDetector inner) {
        this.inner = inner;
    }

    @Override
    public String modelId() {
        return inner.modelId();
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        runs.incrementAndGet();
        return inner.detect(bgr);
    }

    @Override
    public void close() {
        inner.close();
    }
}
