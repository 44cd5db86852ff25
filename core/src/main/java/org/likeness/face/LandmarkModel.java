package org.likeness.face;

import org.likeness.model.ModelCatalogue;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Path;

/**
 * The 68-point landmark model ({@code fr_landmark.onnx}): a square grey crop around the detector's box, 64×64, x/256;
 * returns 68 (x,y) pairs relative to the crop, reduced to the five alignment points.
 */
public final class LandmarkModel implements AutoCloseable {
    static final int SIDE = 64;
    static final int POINTS = 68;

    private final OnnxModel model;

    public LandmarkModel(Path onnx, int intraOpThreads) {
        this.model = new OnnxModel(ModelCatalogue.LANDMARK68, onnx, intraOpThreads);
    }

    public String modelId() {
        return model.id();
    }

    /**
     * The 68 points in image pixels, as {@code [x0,y0,x1,y1,…]}. The crop is the square of side = box height centred
     * on the box, as in the package's own {@code fr_landmark.js}; parts outside the image are black.
     */
    public float[] points68(Mat bgr, Box box) {
        float side = Math.max(box.w(), box.h());
        float x0 = box.cx() - side / 2;
        float y0 = box.cy() - side / 2;
        float scale = SIDE / side;
        Mat grey = new Mat();
        Mat crop = new Mat();
        Mat m = new Mat(2, 3, CvType.CV_64F);
        try {
            Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
            m.put(0, 0, scale, 0, -x0 * scale, 0, scale, -y0 * scale);
            int interp = scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_LINEAR;
            Imgproc.warpAffine(grey, crop, m, new Size(SIDE, SIDE), interp, Core.BORDER_CONSTANT, new Scalar(0));
            byte[] px = new byte[SIDE * SIDE];
            crop.get(0, 0, px);
            float[] in = new float[SIDE * SIDE];
            for (int i = 0; i < in.length; i++) {
                in[i] = (px[i] & 0xff) / 256f;
            }
            float[] out = model.run(in, new long[]{1, 1, SIDE, SIDE}).get("output");
            float[] pts = new float[2 * POINTS];
            for (int i = 0; i < POINTS; i++) {
                pts[2 * i] = x0 + out[2 * i] * side;
                pts[2 * i + 1] = y0 + out[2 * i + 1] * side;
            }
            return pts;
        } finally {
            grey.release();
            crop.release();
            m.release();
        }
    }

    /**
     * Reduces 68 iBUG points (0-indexed) to the five ArcFace points: eye centres = means of 36–41 and 42–47,
     * nose tip 30, mouth corners 48 and 54.
     */
    public static Landmarks toFive(float[] p) {
        float[] xy = new float[10];
        mean(p, 36, 41, xy, 0);
        mean(p, 42, 47, xy, 1);
        xy[4] = p[60];
        xy[5] = p[61];
        xy[6] = p[96];
        xy[7] = p[97];
        xy[8] = p[108];
        xy[9] = p[109];
        return new Landmarks(xy);
    }

    /**
     * The reduction of the package's own {@code fr_feature.js}: eye centres from the four eyelid points
     * (37, 38, 40, 41 and 43, 44, 46, 47), mouth corners averaged with the inner-lip corners (48+60, 54+64).
     */
    public static Landmarks toFiveInner(float[] p) {
        float[] xy = new float[10];
        xy[0] = (p[74] + p[76] + p[80] + p[82]) / 4;
        xy[1] = (p[75] + p[77] + p[81] + p[83]) / 4;
        xy[2] = (p[86] + p[88] + p[92] + p[94]) / 4;
        xy[3] = (p[87] + p[89] + p[93] + p[95]) / 4;
        xy[4] = p[60];
        xy[5] = p[61];
        xy[6] = (p[96] + p[120]) / 2;
        xy[7] = (p[97] + p[121]) / 2;
        xy[8] = (p[108] + p[128]) / 2;
        xy[9] = (p[109] + p[129]) / 2;
        return new Landmarks(xy);
    }

    private static void mean(float[] p, int from, int to, float[] xy, int slot) {
        float sx = 0;
        float sy = 0;
        for (int i = from; i <= to; i++) {
            sx += p[2 * i];
            sy += p[2 * i + 1];
        }
        int n = to - from + 1;
        xy[2 * slot] = sx / n;
        xy[2 * slot + 1] = sy / n;
    }

    /** A square box around the 68 points, for a second, better-centred landmark pass. */
    public static Box boxAround(float[] p) {
        float minX = Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (int i = 0; i < POINTS; i++) {
            minX = Math.min(minX, p[2 * i]);
            maxX = Math.max(maxX, p[2 * i]);
            minY = Math.min(minY, p[2 * i + 1]);
            maxY = Math.max(maxY, p[2 * i + 1]);
        }
        return Box.corners(minX, minY, maxX, maxY);
    }

    @Override
    public void close() {
        model.close();
    }
}
