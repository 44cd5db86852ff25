package org.likeness.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.likeness.SharedData;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files that hold a second picture, built from real lfw photos: the decoder would show only the first, so each is
 * refused with its reason; the same photos alone, or padded, still decode.
 */
class ContainerCheckTest {
    private static Path lfw;
    private static final ImageDecoder DECODER = new ImageDecoder();

    @BeforeAll
    static void data() {
        lfw = SharedData.require("lfw-dev/images");
    }

    private static byte[] photo(String person, int n) throws Exception {
        return Files.readAllBytes(lfw.resolve(person + "/" + person + String.format("_%04d.jpg", n)));
    }

    @Test
    void aFaceOnPageTwoOfATiffIsRefusedNotMissed() throws Exception {
        BufferedImage face = HiddenPictures.read(lfw.resolve("Hugo_Chavez/Hugo_Chavez_0002.jpg"));
        byte[] tiff = HiddenPictures.multipageTiff(HiddenPictures.grey(250, 250), face);
        assertThatThrownBy(() -> DECODER.decode("two.tif", tiff)).isInstanceOf(DecodeException.class)
                .hasMessage("two.tif: multipage TIFF with 2 pages is not scanned (faces may be on any page); split the pages into"
                        + " still images");
        byte[] single = HiddenPictures.multipageTiff(face);
        try (DecodedImage img = DECODER.decode("one.tif", single)) {
            assertThat(img.width()).isEqualTo(250);
        }
        assertThatThrownBy(() -> DECODER.decode("one-plus.tif", HiddenPictures.concat(single, photo("Hugo_Chavez", 3))))
                .hasMessageContaining("data after end of image (");
    }

    @Test
    void aJpegAppendedToAJpegIsRefused() throws Exception {
        byte[] first = photo("George_W_Bush", 2);
        byte[] second = photo("Hugo_Chavez", 2);
        byte[] mpo = HiddenPictures.concat(first, second);
        assertThatThrownBy(() -> DECODER.decode("mpo.jpg", mpo)).isInstanceOf(DecodeException.class)
                .hasMessage("mpo.jpg: data after end of image (" + second.length
                        + " bytes); may hide another picture, so the file is not scanned");
        try (DecodedImage img = DECODER.decode("first.jpg", first)) {
            assertThat(img.width()).isEqualTo(250);
        }
        byte[] padded = HiddenPictures.concat(first, new byte[4096]);
        try (DecodedImage img = DECODER.decode("padded.jpg", padded)) {
            assertThat(img.width()).as("zero padding holds no picture").isEqualTo(250);
        }
    }

    @Test
    void picturesAppendedToPngGifBmpAndWebpAreRefused() throws Exception {
        BufferedImage face = HiddenPictures.read(lfw.resolve("Serena_Williams/Serena_Williams_0002.jpg"));
        byte[] hidden = photo("Hugo_Chavez", 2);
        for (String format : new String[]{"png", "gif", "bmp"}) {
            byte[] plain = HiddenPictures.encode(face, format);
            try (DecodedImage img = DECODER.decode("plain." + format, plain)) {
                assertThat(img.width()).as(format).isEqualTo(250);
            }
            assertThatThrownBy(() -> DECODER.decode("x." + format, HiddenPictures.concat(plain, hidden))).as(format)
                    .hasMessage("x." + format + ": data after end of image (" + hidden.length
                            + " bytes); may hide another picture, so the file is not scanned");
        }
        org.opencv.core.Mat m = org.opencv.imgcodecs.Imgcodecs.imdecode(new org.opencv.core.MatOfByte(photo("Serena_Williams", 2)),
                org.opencv.imgcodecs.Imgcodecs.IMREAD_COLOR);
        byte[] webp = ImageDecoderTest.encode(".webp", m);
        try (DecodedImage img = DECODER.decode("plain.webp", webp)) {
            assertThat(img.width()).isEqualTo(250);
        }
        assertThatThrownBy(() -> DECODER.decode("x.webp", HiddenPictures.concat(webp, hidden)))
                .hasMessageContaining("x.webp: data after end of image (");
    }

    @Test
    void animatedPngAndWebpAreRefused() throws Exception {
        BufferedImage face = HiddenPictures.read(lfw.resolve("Serena_Williams/Serena_Williams_0002.jpg"));
        byte[] apng = HiddenPictures.withActl(HiddenPictures.encode(face, "png"), 2);
        assertThatThrownBy(() -> DECODER.decode("a.png", apng))
                .hasMessage("a.png: animated PNG (APNG) with 2 frames is not scanned (faces may be in any frame); extract the"
                        + " frames as still images");
        // a VP8X header with the animation flag set, then an ANIM chunk (the WebP container's layout)
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + 18 + 14).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(4 + 18 + 14).put("WEBP".getBytes());
        b.put("VP8X".getBytes()).putInt(10).put((byte) 0x02).put(new byte[3]).put(new byte[]{(byte) 249, 0, 0, (byte) 249, 0, 0});
        b.put("ANIM".getBytes()).putInt(6).putInt(0).putShort((short) 0);
        assertThatThrownBy(() -> DECODER.decode("a.webp", b.array()))
                .hasMessage("a.webp: animated WebP is not scanned (faces may be in any frame); extract the frames as still images");
    }

    @Test
    void samsungMetadataTrailerIsAcceptedButNotWithAPictureInIt() throws Exception {
        Path rotated = SharedData.require("pdq/reg-test-input/exif-rotn/exif-rotn-1.jpg");
        byte[] b = Files.readAllBytes(rotated);
        try (DecodedImage img = DECODER.decode("samsung.jpg", b)) {
            assertThat(img.width()).isPositive();
        }
        // the same trailer with a JPEG inside its first entry: refused
        int seft = b.length - 67;
        byte[] hidden = photo("Hugo_Chavez", 2);
        byte[] forged = new byte[b.length + hidden.length];
        System.arraycopy(b, 0, forged, 0, seft);
        System.arraycopy(hidden, 0, forged, seft, hidden.length);
        System.arraycopy(b, seft, forged, seft + hidden.length, 67);
        assertThatThrownBy(() -> DECODER.decode("forged.jpg", forged)).hasMessageContaining("data after end of image");
    }

    @Test
    void otherFormatsAreNamedAndCorruptPngIsNotCalledABomb() throws Exception {
        byte[] jp2 = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A, 0, 0, 0, 0x14, 'f', 't', 'y', 'p'};
        assertThatThrownBy(() -> DECODER.decode("x.jp2", jp2)).hasMessageStartingWith("x.jp2: unsupported format JPEG 2000");
        byte[] j2k = {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51, 0, 0x29, 0, 0};
        assertThatThrownBy(() -> DECODER.decode("x.j2k", j2k)).hasMessageStartingWith("x.j2k: unsupported format JPEG 2000");
        byte[] png = new byte[4096];
        new java.util.Random(7).nextBytes(png);
        System.arraycopy(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, png, 0, 8);
        assertThatThrownBy(() -> DECODER.decode("r.png", png))
                .hasMessage("r.png: corrupt PNG: the first chunk is not a 13-byte IHDR");
    }

    @Test
    void corruptPngDataIsRefusedBeforeLibpngSeesIt() throws Exception {
        byte[] png = HiddenPictures.encode(HiddenPictures.read(lfw.resolve("Serena_Williams/Serena_Williams_0002.jpg")), "png");
        byte[] flipped = png.clone();
        flipped[png.length / 2] ^= 0x40;
        assertThatThrownBy(() -> DECODER.decode("flip.png", flipped))
                .hasMessage("flip.png: corrupt PNG: checksum (CRC) mismatch in chunk 'IDAT'");
        // a row filter type of 9 behind a valid checksum and valid zlib data: libpng would print "bad adaptive filter value"
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(png);
        int at = 8;
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        while (true) {
            int len = in.getInt(at);
            String type = new String(png, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (type.equals("IDAT")) {
                raw.write(png, at + 8, len);
            }
            if (type.equals("IEND")) {
                break;
            }
            at += 12 + len;
        }
        java.util.zip.Inflater inf = new java.util.zip.Inflater();
        inf.setInput(raw.toByteArray());
        byte[] rows = new byte[250 * (1 + 250 * 3)];
        assertThat(inf.inflate(rows)).isEqualTo(rows.length);
        rows[3 * (1 + 250 * 3)] = 9; // row 3's filter byte
        java.util.zip.Deflater def = new java.util.zip.Deflater();
        def.setInput(rows);
        def.finish();
        byte[] z = new byte[rows.length + 1024];
        int zl = def.deflate(z);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(png, 0, 8 + 25); // signature and IHDR
        java.nio.ByteBuffer chunk = java.nio.ByteBuffer.allocate(12 + zl);
        chunk.putInt(zl).put("IDAT".getBytes()).put(z, 0, zl);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(chunk.array(), 4, 4 + zl);
        chunk.putInt((int) crc.getValue());
        out.write(chunk.array());
        out.write(png, png.length - 12, 12); // IEND
        assertThatThrownBy(() -> DECODER.decode("filter.png", out.toByteArray()))
                .hasMessage("filter.png: corrupt PNG: row 3 has filter type 9 (0-4 exist)");
    }

    /** A 2×2 grey baseline TIFF built entry by entry; with {@code subIfd}, a SubIFDs tag pointing at a second image. */
    private static byte[] tinyTiff(boolean subIfd) {
        int entries = subIfd ? 10 : 9;
        int ifd = 8;
        int pixels = ifd + 2 + 12 * entries + 4;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(pixels + 4 + 2 + 12 * 9 + 4 + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        int[][] e = {{256, 3, 2}, {257, 3, 2}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, pixels}, {277, 3, 1}, {278, 3, 2},
                {279, 4, 4}};
        for (int[] x : e) {
            b.putShort((short) x[0]).putShort((short) x[1]).putInt(1);
            if (x[1] == 3) {
                b.putShort((short) x[2]).putShort((short) 0);
            } else {
                b.putInt(x[2]);
            }
        }
        int second = pixels + 4;
        if (subIfd) {
            b.putShort((short) 330).putShort((short) 4).putInt(1).putInt(second);
        }
        b.putInt(0);
        b.put(new byte[]{0, 64, (byte) 128, (byte) 255});
        if (subIfd) { // the sub-image: the same 2×2 pixels
            b.putShort((short) 9);
            for (int[] x : e) {
                b.putShort((short) x[0]).putShort((short) x[1]).putInt(1);
                if (x[1] == 3) {
                    b.putShort((short) x[2]).putShort((short) 0);
                } else {
                    b.putInt(x[2]);
                }
            }
            b.putInt(0);
            return java.util.Arrays.copyOf(b.array(), b.position());
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void aTiffWithSubImagesIsRefused() throws Exception {
        assertThat(DECODER.inspect("plain.tif", tinyTiff(false)).width()).isEqualTo(2);
        assertThatThrownBy(() -> DECODER.inspect("sub.tif", tinyTiff(true)))
                .hasMessage("sub.tif: TIFF with 1 sub-image(s) (SubIFDs) is not scanned (faces may be in any of them); save the"
                        + " image alone");
    }
}
