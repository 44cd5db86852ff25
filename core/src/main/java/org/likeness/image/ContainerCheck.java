package org.likeness.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Refuses files whose pixels the decoder would not all see: a second picture hidden in the same file. The decoder
 * reads the first image of a file and ignores the rest, so an audit that passed such a file would pass faces it
 * never looked at. Walks each format's structure (no pixel is decoded) and refuses:
 * <ul>
 *   <li>bytes after the end of the image (JPEG EOI, PNG IEND, GIF trailer, the RIFF size of WebP, BMP's file size,
 *       the last byte a TIFF's directories reference): a JPEG appended to a JPEG (MPO, "multi-picture") or any other
 *       file appended to a picture;</li>
 *   <li>more than one image: multipage TIFF, TIFF sub-images (SubIFDs), animated GIF, animated PNG (APNG),
 *       animated WebP.</li>
 * </ul>
 * Trailing padding of zero or 0xFF bytes only (cameras pad files so) cannot hold a picture and is accepted.
 * docs/DECISIONS.md ("Limits against hostile input") says why refusing beats scanning every frame.
 */
public final class ContainerCheck {
    /** More directories than this in one TIFF is certainly not one photo (and bounds the walk of a crafted loop). */
    static final int MAX_TIFF_DIRECTORIES = 64;
    /** TIFF tags: the subfile's strips and tiles, where its pixels lie, and SubIFDs (more images). */
    private static final int TAG_STRIP_OFFSETS = 273;
    private static final int TAG_STRIP_BYTE_COUNTS = 279;
    private static final int TAG_TILE_OFFSETS = 324;
    private static final int TAG_TILE_BYTE_COUNTS = 325;
    private static final int TAG_SUB_IFDS = 330;
    private static final int TAG_JPEG_IF_OFFSET = 513;
    private static final int TAG_JPEG_IF_LENGTH = 514;
    private static final int TAG_EXIF_IFD = 34665;
    private static final int TAG_GPS_IFD = 34853;

    private ContainerCheck() {
    }

    /**
     * @throws DecodeException when the file holds more than the one image the decoder reads, or its structure is corrupt
     */
    public static void check(String name, ImageFormat format, byte[] b) throws DecodeException {
        try {
            switch (format) {
                case JPEG -> trailing(name, b, jpegEnd(name, b));
                case PNG -> trailing(name, b, pngEnd(name, b));
                case GIF -> trailing(name, b, gifEnd(name, b));
                case WEBP -> trailing(name, b, webpEnd(name, b));
                case BMP -> trailing(name, b, bmpEnd(b));
                case TIFF -> trailing(name, b, tiffEnd(name, b));
                default -> {
                }
            }
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new DecodeException(name, "truncated or corrupt " + format + " (its structure runs past the end of the file)");
        }
    }

    private static void trailing(String name, byte[] b, long end) throws DecodeException {
        if (end >= b.length || padding(b, (int) end) || samsungTrailer(b, (int) end)) {
            return;
        }
        throw new DecodeException(name, "data after end of image (" + (b.length - end)
                + " bytes); may hide another picture, so the file is not scanned");
    }

    /** Zero or 0xFF bytes only: no picture fits in them. */
    private static boolean padding(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            int v = b[i] & 0xff;
            if (v != 0x00 && v != 0xFF) {
                return false;
            }
        }
        return true;
    }

    /**
     * Samsung's metadata trailer ("SEF": entries, a SEFH directory, its length, "SEFT" last), written by Samsung
     * phones after the JPEG (e.g. the capture time). Accepted only when it holds no image signature: Samsung also
     * stores pictures and videos there (dual-camera shots, motion photos), and those are refused.
     */
    private static boolean samsungTrailer(byte[] b, int from) {
        int n = b.length;
        if (n - from < 8 || b[n - 4] != 'S' || b[n - 3] != 'E' || b[n - 2] != 'F' || b[n - 1] != 'T') {
            return false;
        }
        long dir = le32(b, n - 8) & 0xffffffffL;
        long sefh = n - 8 - dir;
        if (sefh < from || b[(int) sefh] != 'S' || b[(int) sefh + 1] != 'E' || b[(int) sefh + 2] != 'F' || b[(int) sefh + 3] != 'H') {
            return false;
        }
        for (int i = from; i + 4 <= n; i++) {
            if (imageSignatureAt(b, i)) {
                return false;
            }
        }
        return true;
    }

    /** A JPEG, PNG, GIF, WebP, TIFF, HEIF/AVIF or JPEG 2000 file starts at {@code i}. */
    private static boolean imageSignatureAt(byte[] b, int i) {
        int b0 = b[i] & 0xff;
        int b1 = b[i + 1] & 0xff;
        int b2 = b[i + 2] & 0xff;
        int b3 = b[i + 3] & 0xff;
        return (b0 == 0xFF && b1 == 0xD8 && b2 == 0xFF)
                || (b0 == 0x89 && b1 == 'P' && b2 == 'N' && b3 == 'G')
                || (b0 == 'G' && b1 == 'I' && b2 == 'F' && b3 == '8')
                || (b0 == 'R' && b1 == 'I' && b2 == 'F' && b3 == 'F')
                || (b0 == 'I' && b1 == 'I' && b2 == 42 && b3 == 0) || (b0 == 'M' && b1 == 'M' && b2 == 0 && b3 == 42)
                || (b0 == 'f' && b1 == 't' && b2 == 'y' && b3 == 'p')
                || (b0 == 'j' && b1 == 'P' && b2 == ' ' && b3 == ' ')
                || (b0 == 0xFF && b1 == 0x4F && b2 == 0xFF && b3 == 0x51);
    }

    /** Offset just after the first image's EOI marker; walks segments and skips entropy-coded data. */
    static long jpegEnd(String name, byte[] b) throws DecodeException {
        int i = 2;
        boolean scanned = false;
        while (true) {
            if (i + 2 > b.length) {
                throw new DecodeException(name, scanned ? "truncated JPEG (no end-of-image marker after the scan data)"
                        : "truncated or corrupt JPEG: no scan data");
            }
            if ((b[i] & 0xff) != 0xFF) {
                throw new DecodeException(name, "corrupt JPEG: bad marker at byte " + i);
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD9) {
                if (!scanned) {
                    throw new DecodeException(name, "corrupt JPEG: end of image before any scan data");
                }
                return i + 2;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (i + 4 > b.length) {
                throw new DecodeException(name, "truncated JPEG (a segment header is cut)");
            }
            int len = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
            if (len < 2) {
                throw new DecodeException(name, "corrupt JPEG: segment of length " + len + " at byte " + i);
            }
            if ((marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE) {
                jpegMetadata(name, b, marker, i + 4, Math.min(b.length, i + 2 + len));
            }
            i += 2 + len;
            if (marker == 0xDA) {
                scanned = true;
                i = skipEntropyData(b, i);
            }
        }
    }

    /**
     * Refuses an APP or COM segment that carries a picture (EmbeddedPictures). The Exif segment (APP1 "Exif") is not
     * searched: its thumbnail is a JPEG by design (docs/DECISIONS.md, "One picture per file"); an MPF segment (APP2
     * "MPF") starts with a TIFF header by design, searched after it.
     */
    private static void jpegMetadata(String name, byte[] b, int marker, int from, int to) throws DecodeException {
        if (marker == 0xE1 && EmbeddedPictures.startsWith(b, from, "Exif\0\0")) {
            return;
        }
        int start = marker == 0xE2 && EmbeddedPictures.startsWith(b, from, "MPF\0") ? from + 12 : from;
        EmbeddedPictures.Hit hit = marker == 0xED && EmbeddedPictures.startsWith(b, from, "Photoshop 3.0\0")
                ? photoshopResources(b, from + 14, to) : EmbeddedPictures.find(b, start, to);
        if (hit != null) {
            throw hit.refusal(name, "the " + (marker == 0xFE ? "COM" : "APP" + (marker - 0xE0)) + " segment");
        }
    }

    /**
     * Photoshop's APP13 image resource blocks ("8BIM", id, padded Pascal name, size, data): the thumbnail resources
     * (1033, 1036; a 28-byte header, then a JPEG of at most 160 px) are Photoshop's own preview of this picture, like
     * Exif's, and are not searched; every other resource is. 18 of the 9,206 images of ../shared/data carry one.
     */
    private static EmbeddedPictures.Hit photoshopResources(byte[] b, int i, int to) {
        while (i + 12 <= to && EmbeddedPictures.startsWith(b, i, "8BIM")) {
            int id = ((b[i + 4] & 0xff) << 8) | (b[i + 5] & 0xff);
            int nameLen = b[i + 6] & 0xff;
            int sizeAt = i + 6 + ((1 + nameLen + 1) & ~1);
            if (sizeAt + 4 > to) {
                break;
            }
            long size = be32(b, sizeAt) & 0xffffffffL;
            int data = sizeAt + 4;
            if (id != 1033 && id != 1036) {
                EmbeddedPictures.Hit hit = EmbeddedPictures.find(b, data, (int) Math.min(to, data + size));
                if (hit != null) {
                    return hit;
                }
            }
            i = (int) Math.min(to, data + size + (size & 1));
        }
        return EmbeddedPictures.find(b, i, to); // whatever is not a resource block
    }

    /** The offset of the next marker after entropy-coded data (FF 00 is a stuffed byte, FF D0-D7 a restart). */
    private static int skipEntropyData(byte[] b, int i) {
        while (i + 1 < b.length) {
            if ((b[i] & 0xff) == 0xFF) {
                int next = b[i + 1] & 0xff;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return i;
                }
                i += next == 0xFF ? 1 : 2;
            } else {
                i++;
            }
        }
        return b.length;
    }

    /**
     * Offset just after IEND; refuses APNG (an acTL chunk), a first chunk that is not IHDR, a chunk whose CRC is wrong
     * and image data that does not inflate to exactly the rows IHDR declares. libpng would refuse those too, but with
     * a bare "libpng error: …" line on stderr that names no file; here the refusal names the file and the chunk.
     */
    static long pngEnd(String name, byte[] b) throws DecodeException {
        long i = 8;
        boolean first = true;
        java.util.zip.Inflater idat = new java.util.zip.Inflater();
        long[] inflated = {0};
        try {
            while (true) {
                if (i + 8 > b.length) {
                    throw new DecodeException(name, "truncated PNG (no IEND chunk)");
                }
                long len = be32(b, (int) i) & 0xffffffffL;
                String type = new String(b, (int) i + 4, 4, StandardCharsets.ISO_8859_1);
                if (first && (!"IHDR".equals(type) || len != 13)) {
                    throw new DecodeException(name, "corrupt PNG: the first chunk is not a 13-byte IHDR");
                }
                first = false;
                long end = i + 12 + len;
                if (end > b.length) {
                    throw new DecodeException(name, "truncated PNG (chunk " + printable(type) + " runs past the end of the file)");
                }
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(b, (int) i + 4, (int) len + 4);
                if ((int) crc.getValue() != be32(b, (int) (i + 8 + len))) {
                    throw new DecodeException(name, "corrupt PNG: checksum (CRC) mismatch in chunk " + printable(type));
                }
                if ("acTL".equals(type)) {
                    throw new DecodeException(name, "animated PNG (APNG) with " + (be32(b, (int) i + 8) & 0xffffffffL)
                            + " frames is not scanned (faces may be in any frame); extract the frames as still images");
                }
                if (!"IDAT".equals(type) && !"IHDR".equals(type) && !"IEND".equals(type) && !"eXIf".equals(type)) {
                    pngMetadata(name, b, type, (int) i + 8, (int) (i + 8 + len));
                }
                if ("IDAT".equals(type)) {
                    inflate(name, idat, b, (int) i + 8, (int) len, inflated, pngRawBytes(b), pngStride(b));
                }
                if ("IEND".equals(type)) {
                    long expected = pngRawBytes(b);
                    if (expected >= 0 && inflated[0] != expected) {
                        throw new DecodeException(name, "corrupt PNG: image data inflates to " + inflated[0] + " bytes, its header"
                                + " declares " + expected);
                    }
                    return end;
                }
                i = end;
            }
        } finally {
            idat.end();
        }
    }

    /**
     * Refuses an ancillary chunk that carries a picture, raw or in its compressed text (zTXt, compressed iTXt) or
     * profile (iCCP). eXIf is not searched, like a JPEG's Exif segment (its thumbnail).
     */
    private static void pngMetadata(String name, byte[] b, String type, int from, int to) throws DecodeException {
        EmbeddedPictures.Hit hit = EmbeddedPictures.find(b, from, to);
        if (hit == null && ("zTXt".equals(type) || "iCCP".equals(type) || "iTXt".equals(type))) {
            int nul = from;
            while (nul < to && b[nul] != 0) {
                nul++;
            }
            int data = -1;
            if (!"iTXt".equals(type)) {
                data = nul + 2; // keyword, NUL, compression method
            } else if (nul + 2 < to && b[nul + 1] == 1) { // compression flag, method, language NUL, keyword NUL
                int k = nul + 3;
                for (int zeros = 0; k < to && zeros < 2; k++) {
                    if (b[k] == 0) {
                        zeros++;
                    }
                }
                data = k;
            }
            if (data >= 0 && data < to) {
                hit = EmbeddedPictures.findCompressed(name, b, data, to);
            }
        }
        if (hit != null) {
            throw hit.refusal(name, "the " + printable(type) + " chunk");
        }
    }

    /** Feeds one IDAT chunk to the inflater, counting what comes out (and stopping past what IHDR allows). */
    private static void inflate(String name, java.util.zip.Inflater z, byte[] b, int from, int len, long[] total, long expected,
            long stride) throws DecodeException {
        z.setInput(b, from, len);
        byte[] sink = new byte[1 << 16];
        try {
            while (!z.needsInput() && !z.finished()) {
                int n = z.inflate(sink);
                if (stride > 0) { // each row starts with its filter type, 0-4 (PNG spec 9.2)
                    long start = total[0];
                    for (long row = (start + stride - 1) / stride * stride; row < start + n; row += stride) {
                        int filter = sink[(int) (row - start)] & 0xff;
                        if (filter > 4) {
                            throw new DecodeException(name, "corrupt PNG: row " + row / stride + " has filter type " + filter
                                    + " (0-4 exist)");
                        }
                    }
                }
                total[0] += n;
                if (expected >= 0 && total[0] > expected) {
                    throw new DecodeException(name, "corrupt PNG: image data inflates beyond the " + expected
                            + " bytes its header declares");
                }
                if (n == 0 && (z.needsDictionary() || z.needsInput())) {
                    break;
                }
            }
        } catch (java.util.zip.DataFormatException e) {
            throw new DecodeException(name, "corrupt PNG: compressed image data is invalid (" + e.getMessage() + ")");
        }
    }

    /** Bytes per filtered row (filter byte included) of a non-interlaced PNG, or -1. */
    private static long pngStride(byte[] b) {
        long raw = pngRawBytes(b);
        long h = be32(b, 20) & 0xffffffffL;
        return raw < 0 || h == 0 ? -1 : raw / h;
    }

    /** Bytes of filtered rows a non-interlaced PNG's IHDR declares, or -1 when not computed (interlaced, odd types). */
    private static long pngRawBytes(byte[] b) {
        long w = be32(b, 16) & 0xffffffffL;
        long h = be32(b, 20) & 0xffffffffL;
        int depth = b[24] & 0xff;
        int colour = b[25] & 0xff;
        int interlace = b[28] & 0xff;
        int channels = switch (colour) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> -1;
        };
        if (interlace != 0 || channels < 0 || depth == 0) {
            return -1;
        }
        return h * (1 + (w * channels * depth + 7) / 8);
    }

    /** Offset just after the GIF trailer (0x3B); refuses more than one image (animations). */
    static long gifEnd(String name, byte[] b) throws DecodeException {
        int i = 13;
        int flags = b[10] & 0xff;
        if ((flags & 0x80) != 0) {
            i += 3 * (1 << ((flags & 7) + 1));
        }
        int frames = 0;
        while (true) {
            int block = b[i] & 0xff;
            if (block == 0x3B) {
                if (frames == 0) {
                    throw new DecodeException(name, "corrupt GIF: no image in the file");
                }
                if (frames > 1) {
                    throw new DecodeException(name, "animated GIF with " + frames + " frames is not scanned (faces may be in"
                            + " any frame); extract the frames as still images");
                }
                return i + 1;
            }
            if (block == 0x21) {
                int start = i + 2;
                i = skipSubBlocks(b, start);
                byte[] data = subBlockData(b, start, i);
                EmbeddedPictures.Hit hit = EmbeddedPictures.find(data, 0, data.length);
                if (hit != null) {
                    throw new EmbeddedPictures.Hit(hit.what(), "the block at byte " + (start - 2)).refusal(name,
                            "a GIF extension block");
                }
            } else if (block == 0x2C) {
                frames++;
                int left = le16(b, i + 1);
                int top = le16(b, i + 3);
                int w = le16(b, i + 5);
                int h = le16(b, i + 7);
                if (left + w > le16(b, 6) || top + h > le16(b, 8)) {
                    // the JDK's reader allocates the frame's own size, unchecked by the header's pixel budget
                    throw new DecodeException(name, "corrupt GIF: a " + w + "x" + h + " image at (" + left + "," + top
                            + ") does not fit its " + le16(b, 6) + "x" + le16(b, 8) + " screen");
                }
                int local = b[i + 9] & 0xff;
                i += 10;
                if ((local & 0x80) != 0) {
                    i += 3 * (1 << ((local & 7) + 1));
                }
                i = skipSubBlocks(b, i + 1); // LZW minimum code size, then the data
            } else {
                throw new DecodeException(name, "corrupt GIF: unknown block 0x" + Integer.toHexString(block) + " at byte " + i);
            }
        }
    }

    /** The data of the sub-blocks in {@code b[from, end)}, joined (a signature may straddle two sub-blocks). */
    private static byte[] subBlockData(byte[] b, int from, int end) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int i = from;
        while (i < end && i < b.length) {
            int size = b[i] & 0xff;
            out.write(b, i + 1, Math.min(size, b.length - i - 1));
            i += 1 + size;
        }
        return out.toByteArray();
    }

    private static int skipSubBlocks(byte[] b, int i) {
        while (true) {
            int size = b[i] & 0xff;
            i += 1 + size;
            if (size == 0) {
                return i;
            }
            if (i > b.length) {
                throw new IndexOutOfBoundsException(i);
            }
        }
    }

    /** The RIFF size says where a WebP ends; refuses animations (VP8X animation flag, ANIM/ANMF chunks). */
    static long webpEnd(String name, byte[] b) throws DecodeException {
        long riff = le32(b, 4) & 0xffffffffL;
        long end = 8 + riff + (riff & 1);
        if (end > b.length + 1) {
            throw new DecodeException(name, "truncated WebP (the RIFF header declares " + (8 + riff) + " bytes, the file has "
                    + b.length + ")");
        }
        long i = 12;
        int images = 0;
        while (i + 8 <= Math.min(end, b.length)) {
            String type = new String(b, (int) i, 4, StandardCharsets.ISO_8859_1);
            long len = le32(b, (int) i + 4) & 0xffffffffL;
            if ("VP8X".equals(type) && (b[(int) i + 8] & 0x02) != 0 || "ANIM".equals(type) || "ANMF".equals(type)) {
                throw new DecodeException(name, "animated WebP is not scanned (faces may be in any frame); extract the frames"
                        + " as still images");
            }
            if ("VP8 ".equals(type) || "VP8L".equals(type)) {
                if (++images > 1) { // the decoder shows the first image chunk only
                    throw new DecodeException(name, "WebP with more than one image chunk (" + printable(type) + " at byte " + i
                            + "); may hide another picture, so the file is not scanned");
                }
            } else if (!"VP8X".equals(type) && !"ALPH".equals(type) && !"EXIF".equals(type)) {
                EmbeddedPictures.Hit hit = EmbeddedPictures.find(b, (int) i + 8, (int) Math.min(b.length, i + 8 + len));
                if (hit != null) {
                    throw hit.refusal(name, "the " + printable(type) + " chunk");
                }
            }
            i += 8 + len + (len & 1);
        }
        return end;
    }

    /** BMP's file-size field; 0 (allowed by the format) means unknown, and then nothing is refused. */
    static long bmpEnd(byte[] b) {
        long size = le32(b, 2) & 0xffffffffL;
        return size == 0 ? b.length : size;
    }

    /** The last byte any directory of a TIFF references; refuses more than one directory (pages) and sub-images. */
    static long tiffEnd(String name, byte[] b) throws DecodeException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(b[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        long end = 8;
        Set<Long> seen = new HashSet<>();
        long ifd = buf.getInt(4) & 0xffffffffL;
        int pages = 0;
        while (ifd != 0) {
            if (!seen.add(ifd) || pages >= MAX_TIFF_DIRECTORIES) {
                throw new DecodeException(name, "corrupt TIFF: its directories loop or exceed " + MAX_TIFF_DIRECTORIES);
            }
            pages++;
            Directory d = directory(name, buf, (int) ifd, false);
            end = Math.max(end, d.end);
            ifd = d.next;
        }
        if (pages > 1) {
            throw new DecodeException(name, "multipage TIFF with " + pages + " pages is not scanned (faces may be on any page);"
                    + " split the pages into still images");
        }
        return end;
    }

    private record Directory(long end, long next) {
    }

    private static Directory directory(String name, ByteBuffer buf, int at, boolean sub) throws DecodeException {
        int n = buf.getShort(at) & 0xffff;
        long end = at + 2L + 12L * n + 4;
        long[] strips = null;
        long[] counts = null;
        for (int k = 0; k < n; k++) {
            int e = at + 2 + 12 * k;
            int tag = buf.getShort(e) & 0xffff;
            int type = buf.getShort(e + 2) & 0xffff;
            long count = buf.getInt(e + 4) & 0xffffffffL;
            int size = typeSize(type);
            long bytes = count * size;
            long valueAt = bytes <= 4 ? e + 8 : buf.getInt(e + 8) & 0xffffffffL;
            if (bytes > 4) {
                end = Math.max(end, valueAt + bytes);
            }
            if (tag == TAG_SUB_IFDS) {
                throw new DecodeException(name, "TIFF with " + count + " sub-image(s) (SubIFDs) is not scanned (faces may be in"
                        + " any of them); save the image alone");
            }
            if (tag == TAG_STRIP_OFFSETS || tag == TAG_TILE_OFFSETS) {
                strips = values(buf, valueAt, count, size);
            } else if (tag == TAG_STRIP_BYTE_COUNTS || tag == TAG_TILE_BYTE_COUNTS) {
                counts = values(buf, valueAt, count, size);
            } else if (tag == TAG_JPEG_IF_OFFSET) {
                strips = strips == null ? values(buf, valueAt, 1, size) : strips;
            } else if (tag == TAG_JPEG_IF_LENGTH && counts == null) {
                counts = values(buf, valueAt, 1, size);
            } else if ((tag == TAG_EXIF_IFD || tag == TAG_GPS_IFD) && !sub) {
                long sub0 = values(buf, valueAt, 1, size)[0];
                end = Math.max(end, directory(name, buf, (int) sub0, true).end);
            }
        }
        if (strips != null && counts != null) {
            for (int k = 0; k < Math.min(strips.length, counts.length); k++) {
                end = Math.max(end, strips[k] + counts[k]);
            }
        }
        long next = buf.getInt(at + 2 + 12 * n) & 0xffffffffL;
        return new Directory(end, sub ? 0 : next);
    }

    /** Cells of one TIFF field (SHORT, LONG or LONG8-less: BYTE, SHORT, LONG and their signed forms are read). */
    private static long[] values(ByteBuffer buf, long at, long count, int size) {
        if (at < 0 || at + count * size > buf.capacity()) {
            throw new IndexOutOfBoundsException("field of " + count + " values at " + at);
        }
        long[] v = new long[(int) count];
        for (int k = 0; k < count; k++) {
            int p = (int) (at + (long) k * size);
            v[k] = switch (size) {
                case 1 -> buf.get(p) & 0xff;
                case 2 -> buf.getShort(p) & 0xffff;
                default -> buf.getInt(p) & 0xffffffffL;
            };
        }
        return v;
    }

    /** Bytes per value of a TIFF field type (TIFF 6.0 §2). */
    private static int typeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1;
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12 -> 8;
            default -> 1;
        };
    }

    /** A four-character chunk name quoted, or said to be unprintable: never raw bytes (a newline) in a message. */
    static String printable(String type) {
        return type.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? "'" + type + "'" : "(unprintable type)";
    }

    private static int be32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((b[i + 2] & 0xff) << 16) | ((b[i + 3] & 0xff) << 24);
    }
}
