package org.likeness.face;

import org.opencv.core.Core;

/**
 * Coordinates between an image and the same image turned by a quarter turn with OpenCV's {@code Core.rotate} (pixel
 * edges: a W×H image turned 90° clockwise is H×W, and (x, y) goes to (H − y, x)).
 */
final class Turn {
    private Turn() {
    }

    /** A point of the original W×H image in the turned image. */
    static float[] forward(float x, float y, int turn, int w, int h) {
        return switch (turn) {
            case Core.ROTATE_90_CLOCKWISE -> new float[] {h - y, x};
            case Core.ROTATE_180 -> new float[] {w - x, h - y};
            case Core.ROTATE_90_COUNTERCLOCKWISE -> new float[] {y, w - x};
            default -> throw new IllegalArgumentException("not a quarter turn: " + turn);
        };
    }

    /** A point of the turned image back in the original W×H image. */
    static float[] back(float x, float y, int turn, int w, int h) {
        return switch (turn) {
            case Core.ROTATE_90_CLOCKWISE -> new float[] {y, h - x};
            case Core.ROTATE_180 -> new float[] {w - x, h - y};
            case Core.ROTATE_90_COUNTERCLOCKWISE -> new float[] {w - y, x};
            default -> throw new IllegalArgumentException("not a quarter turn: " + turn);
        };
    }

    /** The box of the original image in the turned one. */
    static Box box(Box b, int turn, int w, int h) {
        float[] a = forward(b.x(), b.y(), turn, w, h);
        float[] c = forward(b.x() + b.w(), b.y() + b.h(), turn, w, h);
        return Box.corners(Math.min(a[0], c[0]), Math.min(a[1], c[1]), Math.max(a[0], c[0]), Math.max(a[1], c[1]));
    }

    /** A box of the turned image back in the original. */
    static Box boxBack(Box b, int turn, int w, int h) {
        float[] a = back(b.x(), b.y(), turn, w, h);
        float[] c = back(b.x() + b.w(), b.y() + b.h(), turn, w, h);
        return Box.corners(Math.min(a[0], c[0]), Math.min(a[1], c[1]), Math.max(a[0], c[0]), Math.max(a[1], c[1]));
    }

    /** Interleaved x, y points of the turned image back in the original. */
    static float[] pointsBack(float[] xy, int turn, int w, int h) {
        float[] out = new float[xy.length];
        for (int i = 0; i + 1 < xy.length; i += 2) {
            float[] p = back(xy[i], xy[i + 1], turn, w, h);
            out[i] = p[0];
            out[i + 1] = p[1];
        }
        return out;
    }

    /** The smallest axis-aligned box holding both. */
    static Box union(Box a, Box b) {
        return Box.corners(Math.min(a.x(), b.x()), Math.min(a.y(), b.y()), Math.max(a.x() + a.w(), b.x() + b.w()),
                Math.max(a.y() + a.h(), b.y() + b.h()));
    }
}
