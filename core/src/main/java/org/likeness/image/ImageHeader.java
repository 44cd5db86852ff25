package org.likeness.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Width and height read from a file's header, before any pixel is decoded, so that a
 * decompression bomb (a small file that expands to gigabytes) is refused without being decoded.
 */
public record ImageHeader(ImageFormat format, int width, int height) {

    public long pixels() {
        return (long) width * height;
    }

    /**
     * Reads the dimensions of JPEG, PNG, GIF, BMP, WebP and TIFF files.
     *
     * @throws DecodeException when the header is missing, truncated or malformed
     */
    public static ImageHeader read(String name, byte[] b) throws DecodeException {
        ImageFormat f = ImageFormat.sniff(b);
        try {
            return switch (f) {
                case PNG -> png(name, b);
                case GIF -> of(name, f, le16(b, 6), le16(b, 8));
                case BMP -> of(name, f, le32(b, 18), Math.abs(le32(b, 22)));
                case JPEG -> jpeg(name, b);
                case WEBP -> webp(name, b);
                case TIFF -> tiff(name, b);
                case HEIC, AVIF, JPEG2000, JPEG_XL, ICO -> throw new DecodeException(name, "unsupported format " + f.label()
                        + " (convert to JPEG or PNG); only JPEG, PNG, GIF, BMP, WebP and TIFF are read");
                case UNKNOWN -> throw new DecodeException(name, archive(b)
                        ? "an archive inside the dataset is not opened (not an image); scan or trace it on its own"
                        : "not an image (unrecognised file signature)");
            };
        } catch (IndexOutOfBoundsException e) {
            throw new DecodeException(name, "truncated " + f + " header");
        }
    }

    /** A zip (local file header), gzip or tar (POSIX "ustar" magic at offset 257) signature. */
    private static boolean archive(byte[] b) {
        boolean zip = b.length >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
        boolean gzip = b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
        boolean tar = b.length >= 262 && b[257] == 'u' && b[258] == 's' && b[259] == 't' && b[260] == 'a' && b[261] == 'r';
        return zip || gzip || tar;
    }

    private static ImageHeader of(String name, ImageFormat f, int w, int h) throws DecodeException {
        if (w <= 0 || h <= 0) {
            throw new DecodeException(name, "invalid " + f + " dimensions " + w + "x" + h);
        }
        return new ImageHeader(f, w, h);
    }

    private static ImageHeader png(String name, byte[] b) throws DecodeException {
        if (be32(b, 8) != 13 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            throw new DecodeException(name, "corrupt PNG: the first chunk is not a 13-byte IHDR");
        }
        return of(name, ImageFormat.PNG, be32(b, 16), be32(b, 20));
    }

    private static ImageHeader jpeg(String name, byte[] b) throws DecodeException {
        int i = 2;
        while (i + 4 <= b.length) {
            if ((b[i] & 0xff) != 0xFF) {
                throw new DecodeException(name, "corrupt JPEG: bad marker at byte " + i);
            }
            int marker = b[i + 1] & 0xff;
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                i += 2;
                continue;
            }
            int len = be16(b, i + 2);
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                return of(name, ImageFormat.JPEG, be16(b, i + 7), be16(b, i + 5));
            }
            if (marker == 0xDA || marker == 0xD9 || len < 2) {
                break;
            }
            i += 2 + len;
        }
        throw new DecodeException(name, "truncated or corrupt JPEG: no frame header (SOF) found");
    }

    private static ImageHeader webp(String name, byte[] b) throws DecodeException {
        String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
        return switch (chunk) {
            case "VP8 " -> of(name, ImageFormat.WEBP, le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
            case "VP8L" -> {
                int v = le32(b, 21);
                yield of(name, ImageFormat.WEBP, (v & 0x3fff) + 1, ((v >>> 14) & 0x3fff) + 1);
            }
            case "VP8X" -> of(name, ImageFormat.WEBP, le24(b, 24) + 1, le24(b, 27) + 1);
            default -> throw new DecodeException(name, "corrupt WebP: unknown first chunk " + ContainerCheck.printable(chunk));
        };
    }

    private static ImageHeader tiff(String name, byte[] b) throws DecodeException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(b[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int ifd = buf.getInt(4);
        int n = buf.getShort(ifd) & 0xffff;
        int w = -1;
        int h = -1;
        for (int k = 0; k < n; k++) {
            int e = ifd + 2 + 12 * k;
            int tag = buf.getShort(e) & 0xffff;
            int type = buf.getShort(e + 2) & 0xffff;
            int value = type == 3 ? buf.getShort(e + 8) & 0xffff : buf.getInt(e + 8);
            if (tag == 256) {
                w = value;
            } else if (tag == 257) {
                h = value;
            }
        }
        return of(name, ImageFormat.TIFF, w, h);
    }

    private static int be16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static int be32(byte[] b, int i) {
        return (be16(b, i) << 16) | be16(b, i + 2);
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
    }

    private static int le24(byte[] b, int i) {
        return le16(b, i) | ((b[i + 2] & 0xff) << 16);
    }

    private static int le32(byte[] b, int i) {
        return le16(b, i) | (le16(b, i + 2) << 16);
    }
}
