package org.likeness.image;

import org.junit.jupiter.api.Test;
import org.likeness.SharedData;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageDecoderTest {
    private final ImageDecoder decoder = new ImageDecoder();

    static byte[] encode(String ext, Mat m) {
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(ext, m, buf);
        return buf.toArray();
    }

    private static byte[] lfwPhoto() throws IOException {
        Path dir = SharedData.require("lfw-dev/images/Aaron_Peirsol");
        return Files.readAllBytes(dir.resolve("Aaron_Peirsol_0001.jpg"));
    }

    @Test
    void decodesARealJpeg() throws Exception {
        try (DecodedImage img = decoder.decode("a.jpg", lfwPhoto())) {
            assertThat(img.width()).isEqualTo(250);
            assertThat(img.height()).isEqualTo(250);
            assertThat(img.format()).isEqualTo(ImageFormat.JPEG);
        }
    }

    @Test
    void zeroByteFileIsRefused() {
        assertThatThrownBy(() -> decoder.decode("empty.jpg", new byte[0]))
                .isInstanceOf(DecodeException.class).hasMessage("empty.jpg: empty file (0 bytes)");
    }

    @Test
    void truncatedJpegIsRefused() throws Exception {
        byte[] full = lfwPhoto();
        byte[] half = Arrays.copyOf(full, full.length / 2);
        assertThatThrownBy(() -> decoder.decode("cut.jpg", half))
                .isInstanceOf(DecodeException.class).hasMessageContaining("cut.jpg").hasMessageContaining("truncated JPEG");
        byte[] headerOnly = Arrays.copyOf(full, 40);
        assertThatThrownBy(() -> decoder.decode("head.jpg", headerOnly)).isInstanceOf(DecodeException.class);
    }

    @Test
    void webpNamedJpgIsReadByItsContent() throws Exception {
        Path webp = SharedData.require("deepface-unit/images/id03/img47.jpg");
        try (DecodedImage img = decoder.decode(webp.toString(), Files.readAllBytes(webp))) {
            assertThat(img.format()).isEqualTo(ImageFormat.WEBP);
            assertThat(img.width()).isGreaterThan(100);
        }
    }

    @Test
    void heicIsRefusedAsUnsupported() {
        byte[] heic = new byte[64];
        byte[] head = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c'};
        System.arraycopy(head, 0, heic, 0, head.length);
        assertThatThrownBy(() -> decoder.decode("phone.jpg", heic))
                .hasMessageContaining("phone.jpg").hasMessageContaining("unsupported format HEIC");
    }

    @Test
    void nonImageIsRefused() {
        assertThatThrownBy(() -> decoder.decode("notes.txt", "hello, not a picture".getBytes()))
                .hasMessage("notes.txt: not an image (unrecognised file signature)");
    }

    @Test
    void animatedGifIsRefusedAndStillGifDecodes() throws Exception {
        assertThatThrownBy(() -> decoder.decode("anim.gif", gif(3)))
                .hasMessageContaining("anim.gif").hasMessageContaining("animated GIF with 3 frames");
        try (DecodedImage img = decoder.decode("still.gif", gif(1))) {
            assertThat(img.width()).isEqualTo(40);
            assertThat(img.format()).isEqualTo(ImageFormat.GIF);
        }
    }

    @Test
    void yaleGifDecodes() throws Exception {
        Path dir = SharedData.require("yale-faces/images");
        Path gif;
        try (var s = Files.walk(dir)) {
            gif = s.filter(p -> p.toString().endsWith(".gif")).findFirst().orElseThrow();
        }
        try (DecodedImage img = decoder.decode(gif.toString(), Files.readAllBytes(gif))) {
            assertThat(img.width()).isGreaterThan(100);
        }
    }

    static byte[] gif(int frames) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bos)) {
            w.setOutput(out);
            w.prepareWriteSequence(null);
            for (int i = 0; i < frames; i++) {
                BufferedImage bi = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED);
                bi.getRaster().setSample(i, i, 0, 1);
                w.writeToSequence(new IIOImage(bi, null, null), null);
            }
            w.endWriteSequence();
        }
        return bos.toByteArray();
    }

    @Test
    void rgbaSixteenBitAndGreyPngsBecome8BitBgr() throws Exception {
        Mat rgba = new Mat(20, 30, CvType.CV_8UC4, new Scalar(10, 20, 30, 128));
        Mat deep = new Mat(20, 30, CvType.CV_16UC3, new Scalar(1000, 30000, 65535));
        Mat grey = new Mat(20, 30, CvType.CV_8UC1, new Scalar(77));
        for (Mat m : new Mat[]{rgba, deep, grey}) {
            try (DecodedImage img = decoder.decode("x.png", encode(".png", m))) {
                assertThat(img.bgr().type()).isEqualTo(CvType.CV_8UC3);
                assertThat(img.width()).isEqualTo(30);
            }
        }
        try (DecodedImage img = decoder.decode("x.png", encode(".png", deep))) {
            assertThat(img.bgr().get(0, 0)[2]).isEqualTo(255.0); // 65535 → 255
        }
    }

    @Test
    void cmykAndPaletteImagesDecode() throws Exception {
        Path modes = SharedData.require("pdq/misc-images/modes");
        for (String f : new String[]{"CMYK.jpg", "P.png", "L.png", "RGBA.png"}) {
            try (DecodedImage img = decoder.decode(f, Files.readAllBytes(modes.resolve(f)))) {
                assertThat(img.width()).as(f).isEqualTo(1600);
                assertThat(img.height()).as(f).isEqualTo(1004);
            }
        }
    }

    @Test
    void decompressionBombIsRefusedBeforeDecoding() throws Exception {
        byte[] bomb = onebitPng(30000, 30000);
        assertThat(bomb.length).isLessThan(200_000);
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThatThrownBy(() -> decoder.decode("bomb.png", bomb))
                .hasMessageContaining("bomb.png").hasMessageContaining("30000x30000").hasMessageContaining("pixel budget");
        assertThat(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory() - before).isLessThan(500_000_000L);
    }

    /** A valid, all-black 1-bit greyscale PNG: 30000×30000 compresses to about 110 KB. */
    static byte[] onebitPng(int w, int h) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(png);
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[]{1, 0, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9))) {
            byte[] row = new byte[1 + (w + 7) / 8];
            for (int y = 0; y < h; y++) {
                z.write(row);
            }
        }
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes();
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        Path dir = SharedData.require("pdq/reg-test-input/exif-rotn");
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                byte[] bytes = Files.readAllBytes(p);
                ImageHeader stored = ImageHeader.read(p.toString(), bytes);
                boolean quarterTurn = p.toString().endsWith("-6.jpg") || p.toString().endsWith("-8.jpg");
                try (DecodedImage img = decoder.decode(p.toString(), bytes)) {
                    assertThat(img.width()).as(p.toString()).isEqualTo(quarterTurn ? stored.height() : stored.width());
                    assertThat(img.height()).as(p.toString()).isEqualTo(quarterTurn ? stored.width() : stored.height());
                }
            }
        }
    }
}
