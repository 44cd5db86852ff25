package org.likeness.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32;

/** Builds files that hold a second picture the first-image decoder would not show (tests of ContainerCheck and the CLI). */
public final class HiddenPictures {
    private HiddenPictures() {
    }

    /** A TIFF with one page per image, written by the JDK's TIFF writer. */
    public static byte[] multipageTiff(BufferedImage... pages) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            w.prepareWriteSequence(null);
            for (BufferedImage p : pages) {
                w.writeToSequence(new IIOImage(p, null, null), null);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    public static BufferedImage read(Path photo) throws IOException {
        BufferedImage img = ImageIO.read(photo.toFile());
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        rgb.getGraphics().drawImage(img, 0, 0, null);
        return rgb;
    }

    public static BufferedImage grey(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics g = img.getGraphics();
        g.setColor(java.awt.Color.GRAY);
        g.fillRect(0, 0, w, h);
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no " + format + " writer");
        }
        return out.toByteArray();
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A PNG made animated (APNG) by an acTL chunk right after IHDR, as APNG writers place it. */
    public static byte[] withActl(byte[] png, int frames) {
        ByteBuffer chunk = ByteBuffer.allocate(12 + 8).order(ByteOrder.BIG_ENDIAN);
        chunk.putInt(8).put("acTL".getBytes()).putInt(frames).putInt(0);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 12);
        chunk.putInt((int) crc.getValue());
        int afterIhdr = 8 + 12 + 13;
        byte[] out = new byte[png.length + 20];
        System.arraycopy(png, 0, out, 0, afterIhdr);
        System.arraycopy(chunk.array(), 0, out, afterIhdr, 20);
        System.arraycopy(png, afterIhdr, out, afterIhdr + 20, png.length - afterIhdr);
        return out;
    }
}
