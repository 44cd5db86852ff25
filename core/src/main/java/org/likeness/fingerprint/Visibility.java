package org.likeness.fingerprint;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/** How visible a mark is: PSNR over all three channels and SSIM of luminance, between an original and its released copy. */
public final class Visibility {
    /** SSIM constants of Wang, Bovik, Sheikh &amp; Simoncelli (2004): 11×11 Gaussian window, σ 1.5, K1 0.01, K2 0.03, L 255. */
    private static final double SSIM_SIGMA = 1.5, C1 = Math.pow(0.01 * 255, 2), C2 = Math.pow(0.03 * 255, 2);

    private Visibility() {
    }

    /** Peak signal-to-noise ratio in dB of two same-size 8-bit images (infinite when identical). */
    public static double psnr(Mat a, Mat b) {
        return Core.PSNR(a, b, 255);
    }

    /** Mean structural similarity of the two images' luminance (1 = identical). */
    public static double ssim(Mat aBgr, Mat bBgr) {
        Mat x = MarkSpace.luma(aBgr), y = MarkSpace.luma(bBgr);
        Mat mx = blur(x), my = blur(y);
        Mat xx = blur(x.mul(x)), yy = blur(y.mul(y)), xy = blur(x.mul(y));
        Mat mx2 = mx.mul(mx), my2 = my.mul(my), mxy = mx.mul(my);
        Mat sx = new Mat(), sy = new Mat(), sxy = new Mat();
        Core.subtract(xx, mx2, sx);
        Core.subtract(yy, my2, sy);
        Core.subtract(xy, mxy, sxy);
        Mat num1 = new Mat(), num2 = new Mat(), den1 = new Mat(), den2 = new Mat();
        mxy.convertTo(num1, CvType.CV_32F, 2, C1);
        sxy.convertTo(num2, CvType.CV_32F, 2, C2);
        Core.add(mx2, my2, den1);
        Core.add(den1, new Scalar(C1), den1);
        Core.add(sx, sy, den2);
        Core.add(den2, new Scalar(C2), den2);
        Mat num = num1.mul(num2), den = den1.mul(den2), map = new Mat();
        Core.divide(num, den, map);
        return Core.mean(map).val[0];
    }

    private static Mat blur(Mat m) {
        Mat out = new Mat();
        Imgproc.GaussianBlur(m, out, new Size(11, 11), SSIM_SIGMA);
        return out;
    }
}
