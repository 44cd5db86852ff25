package org.likeness.face;

/** An axis-aligned box in image pixels: top-left corner, width and height. */
public record Box(float x, float y, float w, float h) {
    public Box {
        if (!(w >= 0 && h >= 0) || !Float.isFinite(x) || !Float.isFinite(y)) {
            throw new IllegalArgumentException("invalid box " + x + "," + y + "," + w + "," + h);
        }
    }

    public static Box corners(float x1, float y1, float x2, float y2) {
        return new Box(x1, y1, Math.max(0, x2 - x1), Math.max(0, y2 - y1));
    }

    public float area() {
        return w * h;
    }

    public float cx() {
        return x + w / 2;
    }

    public float cy() {
        return y + h / 2;
    }

    /** Intersection over union. */
    public float iou(Box o) {
        float ix = Math.max(0, Math.min(x + w, o.x + o.w) - Math.max(x, o.x));
        float iy = Math.max(0, Math.min(y + h, o.y + o.h) - Math.max(y, o.y));
        float inter = ix * iy;
        float union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /** The part of this box inside a width×height image, or null when none of it is (a box touching no pixel). */
    public Box clip(int width, int height) {
        float x0 = Math.max(0, x);
        float y0 = Math.max(0, y);
        float x1 = Math.min(width, x + w);
        float y1 = Math.min(height, y + h);
        return x1 > x0 && y1 > y0 ? new Box(x0, y0, x1 - x0, y1 - y0) : null;
    }

    public Box translate(float dx, float dy) {
        return new Box(x + dx, y + dy, w, h);
    }
}
