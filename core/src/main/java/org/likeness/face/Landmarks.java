package org.likeness.face;

import java.util.Arrays;

/**
 * Five facial points in image pixels, in the ArcFace order: left eye, right eye, nose tip,
 * left mouth corner, right mouth corner ("left" = the subject's right = the image's left).
 */
public record Landmarks(float[] xy) {
    public static final int POINTS = 5;

    public Landmarks {
        if (xy == null || xy.length != 2 * POINTS) {
            throw new IllegalArgumentException("five landmarks need 10 coordinates");
        }
        xy = xy.clone();
    }

    public float x(int i) {
        return xy[2 * i];
    }

    public float y(int i) {
        return xy[2 * i + 1];
    }

    @Override
    public float[] xy() {
        return xy.clone();
    }

    public Landmarks translate(float dx, float dy) {
        float[] t = xy.clone();
        for (int i = 0; i < POINTS; i++) {
            t[2 * i] += dx;
            t[2 * i + 1] += dy;
        }
        return new Landmarks(t);
    }

    /** Distance between the eye centres in pixels. */
    public float eyeDistance() {
        return (float) Math.hypot(x(1) - x(0), y(1) - y(0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Landmarks l && Arrays.equals(xy, l.xy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xy);
    }

    @Override
    public String toString() {
        return "Landmarks" + Arrays.toString(xy);
    }
}
