import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.*;
import java.nio.*;
import java.nio.file.*;
import java.util.*;

/** Smoke-test helper for the TF.js reference runner (usage: java CropToF32.java OUT.f32 SIZE FRACTION MODE LIST.txt): centre-crop (fraction f of the shorter side), bilinear resize (TF align_corners=false,
 *  half_pixel_centers=false), write NHWC float32 LE batch. Modes: rgb01 rgb255 bgr255 bgrvgg. */
public class CropToF32 {
  public static void main(String[] a) throws Exception {
    String out = a[0]; int size = Integer.parseInt(a[1]); double frac = Double.parseDouble(a[2]); String mode = a[3];
    List<String> files = Files.readAllLines(Path.of(a[4]));
    ByteBuffer bb = ByteBuffer.allocate(files.size() * size * size * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (String f : files) {
      BufferedImage img = ImageIO.read(new File(f));
      int w = img.getWidth(), h = img.getHeight(); double side = Math.min(w, h) * frac;
      double x0 = (w - side) / 2, y0 = (h - side) / 2, scale = side / size;
      for (int y = 0; y < size; y++) for (int x = 0; x < size; x++) {
        double sy = y0 + y * scale, sx = x0 + x * scale;
        int iy = (int) Math.floor(sy), ix = (int) Math.floor(sx); double fy = sy - iy, fx = sx - ix;
        double[] c = new double[3];
        for (int k = 0; k < 4; k++) {
          int yy = Math.min(h - 1, iy + (k >> 1)), xx = Math.min(w - 1, ix + (k & 1));
          double wt = ((k >> 1) == 1 ? fy : 1 - fy) * ((k & 1) == 1 ? fx : 1 - fx);
          int p = img.getRGB(xx, yy);
          c[0] += wt * ((p >> 16) & 255); c[1] += wt * ((p >> 8) & 255); c[2] += wt * (p & 255);
        }
        float[] v = switch (mode) {
          case "rgb01" -> new float[]{(float) (c[0] / 255), (float) (c[1] / 255), (float) (c[2] / 255)};
          case "pm1" -> new float[]{(float) ((c[0] - 127.5) * 0.0078125), (float) ((c[1] - 127.5) * 0.0078125), (float) ((c[2] - 127.5) * 0.0078125)};
          case "rgb255" -> new float[]{(float) c[0], (float) c[1], (float) c[2]};
          case "bgr255" -> new float[]{(float) c[2], (float) c[1], (float) c[0]};
          case "bgrvgg" -> new float[]{(float) (c[2] - 103.939), (float) (c[1] - 116.779), (float) (c[0] - 123.68)};
          default -> throw new IllegalArgumentException(mode);
        };
        for (float fv : v) bb.putFloat(fv);
      }
    }
    Files.write(Path.of(out), bb.array());
  }
}
