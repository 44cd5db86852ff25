package org.likeness.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.likeness.SharedData;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A whole face photo carried inside the metadata of a face-free picture (a JPEG APP or comment segment, a PNG
 * private or compressed text chunk, a GIF extension), raw or base64: the decoder shows the cover, any extractor the
 * face. Each is refused; the cover alone and real photos still decode.
 */
class EmbeddedPicturesTest {
    private static final ImageDecoder DECODER = new ImageDecoder();
    private static byte[] face;
    private static byte[] coverJpeg;
    private static byte[] coverPng;
    private static byte[] coverGif;

    @BeforeAll
    static void data() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        face = Files.readAllBytes(lfw.resolve("Hugo_Chavez/Hugo_Chavez_0002.jpg"));
        coverJpeg = HiddenPictures.encode(HiddenPictures.grey(250, 250), "jpg");
        coverPng = HiddenPictures.encode(HiddenPictures.grey(250, 250), "png");
        coverGif = HiddenPictures.encode(HiddenPictures.grey(250, 250), "gif");
    }

    private static byte[] jpegWithSegment(int marker, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(coverJpeg.length + 4 + payload.length);
        b.put(coverJpeg, 0, 2).put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        b.put(coverJpeg, 2, coverJpeg.length - 2);
        return b.array();
    }

    private static byte[] pngWithChunk(String type, byte[] data) {
        int iend = coverPng.length - 12;
        ByteBuffer b = ByteBuffer.allocate(coverPng.length + 12 + data.length);
        b.put(coverPng, 0, iend).putInt(data.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.ISO_8859_1));
        crc.update(data);
        b.putInt((int) crc.getValue()).put(coverPng, iend, 12);
        return b.array();
    }

    private static byte[] gifWithComment(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(coverGif, 0, coverGif.length - 1);
        out.write(0x21);
        out.write(0xFE);
        for (int i = 0; i < data.length; i += 255) {
            int n = Math.min(255, data.length - i);
            out.write(n);
            out.write(data, i, n);
        }
        out.write(0);
        out.write(0x3B);
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater())) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aCoverAloneDecodes() throws Exception {
        for (var cover : new byte[][]{coverJpeg, coverPng, coverGif, face}) {
            try (DecodedImage img = DECODER.decode("cover", cover)) {
                assertThat(img.width()).isEqualTo(250);
            }
        }
        try (DecodedImage img = DECODER.decode("xmp.jpg", jpegWithSegment(0xE1,
                "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>plain text</x:xmpmeta>".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(img.width()).as("metadata without a picture is fine").isEqualTo(250);
        }
    }

    @Test
    void aJpegInsideAJpegSegmentIsRefused() {
        assertThatThrownBy(() -> DECODER.decode("app15.jpg", jpegWithSegment(0xEF, face)))
                .isInstanceOf(DecodeException.class)
                .hasMessage("app15.jpg: a JPEG picture is hidden in the APP15 segment (at byte 6); it would not be scanned,"
                        + " so the file is refused");
        assertThatThrownBy(() -> DECODER.decode("com.jpg", jpegWithSegment(0xFE, cat("note:".getBytes(), face))))
                .hasMessageContaining("a JPEG picture is hidden in the COM segment");
        byte[] xmp = cat("http://ns.adobe.com/xap/1.0/\0<GImage:Data>".getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encode(java.util.Arrays.copyOf(face, 40000)));
        assertThatThrownBy(() -> DECODER.decode("xmp.jpg", jpegWithSegment(0xE1, xmp)))
                .hasMessageContaining("a base64 JPEG picture is hidden in the APP1 segment");
    }

    @Test
    void aPictureInsideAPngChunkIsRefused() throws Exception {
        assertThatThrownBy(() -> DECODER.decode("priv.png", pngWithChunk("prVt", face)))
                .hasMessageContaining("a JPEG picture is hidden in the 'prVt' chunk");
        assertThatThrownBy(() -> DECODER.decode("ztxt.png", pngWithChunk("zTXt", cat("k\0\0".getBytes(), deflate(face)))))
                .hasMessageContaining("a JPEG picture is hidden in the 'zTXt' chunk");
        assertThatThrownBy(() -> DECODER.decode("png-in-png.png", pngWithChunk("prVt", coverPng)))
                .hasMessageContaining("a PNG picture is hidden in the 'prVt' chunk");
    }

    @Test
    void aPictureInsideAGifExtensionIsRefused() {
        assertThatThrownBy(() -> DECODER.decode("comment.gif", gifWithComment(face)))
                .hasMessageContaining("a JPEG picture is hidden in a GIF extension block");
    }

    @Test
    void photoshopsOwnThumbnailIsAcceptedAnotherResourceIsNot() throws Exception {
        Path real = SharedData.require("deepface-unit/images").resolve("id01/img1.jpg"); // APP13 with a thumbnail resource
        try (DecodedImage img = DECODER.decode("img1.jpg", Files.readAllBytes(real))) {
            assertThat(img.width()).isGreaterThan(0);
        }
        ByteBuffer irb = ByteBuffer.allocate(14 + 12 + face.length);
        irb.put("Photoshop 3.0\0".getBytes(StandardCharsets.ISO_8859_1)).put("8BIM".getBytes(StandardCharsets.ISO_8859_1))
                .putShort((short) 1060).putShort((short) 0).putInt(face.length).put(face);
        assertThatThrownBy(() -> DECODER.decode("psd.jpg", jpegWithSegment(0xED, irb.array())))
                .hasMessageContaining("a JPEG picture is hidden in the APP13 segment");
    }

    @Test
    void aWebPWithASecondImageChunkOrAPictureInAChunkIsRefused() throws Exception {
        byte[] webp = Files.readAllBytes(Path.of("src/test/resources/org/likeness/fuzz/ImageFuzzTestInputs/inspect/tiny.webp"));
        assertThat(DECODER.inspect("tiny.webp", webp).width()).isPositive();
        byte[] image = java.util.Arrays.copyOfRange(webp, 12, webp.length); // its one VP8L chunk
        assertThatThrownBy(() -> DECODER.inspect("two.webp", riff(cat(image, image))))
                .hasMessageContaining("WebP with more than one image chunk ('VP8L' at byte " + (12 + image.length) + ")");
        ByteBuffer priv = ByteBuffer.allocate(8 + face.length + (face.length & 1)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        priv.put("prVt".getBytes(StandardCharsets.ISO_8859_1)).putInt(face.length).put(face);
        assertThatThrownBy(() -> DECODER.inspect("priv.webp", riff(cat(image, priv.array()))))
                .hasMessageContaining("a JPEG picture is hidden in the 'prVt' chunk");
    }

    private static byte[] riff(byte[] chunks) {
        ByteBuffer b = ByteBuffer.allocate(12 + chunks.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(4 + chunks.length).put("WEBP".getBytes(StandardCharsets.ISO_8859_1))
                .put(chunks);
        return b.array();
    }
}
