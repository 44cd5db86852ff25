package org.likeness.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Finds a whole picture carried inside a picture's metadata (a JPEG APP or comment segment, a PNG ancillary chunk, a
 * GIF extension, a WebP chunk), raw or base64-encoded: the decoder shows the cover, any extractor (exiftool, a
 * script) the hidden picture, so an audit would pass a face it never looked at. Signatures are checked with enough
 * of the structure behind them that binary metadata (ICC profiles) does not match by chance. A picture that is
 * encrypted or otherwise disguised is not found: that is steganography, out of scope (docs/SECURITY.md).
 */
final class EmbeddedPictures {
    /** Compressed metadata (PNG zTXt, iTXt, iCCP) inflating beyond this is refused: no text or profile is that big. */
    static final int MAX_INFLATED_METADATA = 32 << 20;

    private static final String[][] BASE64 = {
            {"/9j/", "JPEG"}, {"iVBORw0KGgo", "PNG"}, {"R0lGODdh", "GIF"}, {"R0lGODlh", "GIF"},
            {"SUkqA", "TIFF"}, {"TU0AK", "TIFF"}, {"AAAADGpQICAN", "JPEG 2000"}};

    private EmbeddedPictures() {
    }

    /** A picture found: what ("a JPEG picture", "a base64 PNG picture") and where ("at byte N", "compressed"). */
    record Hit(String what, String where) {
        /** The refusal: "a JPEG picture is hidden in the APP15 segment (at byte 6); …". */
        DecodeException refusal(String name, String container) {
            return new DecodeException(name, what + " is hidden in " + container + " (" + where + "); it would not be"
                    + " scanned, so the file is refused");
        }
    }

    /** The first picture that starts in {@code b[from, to)}, or null. */
    static Hit find(byte[] b, int from, int to) {
        to = Math.min(to, b.length);
        for (int i = Math.max(0, from); i < to; i++) {
            String kind = rawAt(b, i, to);
            if (kind != null) {
                return new Hit("a " + kind + " picture", "at byte " + i);
            }
            for (String[] sig : BASE64) {
                if (startsWith(b, i, to, sig[0])) {
                    return new Hit("a base64 " + sig[1] + " picture", "at byte " + i);
                }
            }
        }
        return null;
    }

    /** Like {@link #find}, on zlib-compressed metadata; refuses what inflates beyond {@link #MAX_INFLATED_METADATA}. */
    static Hit findCompressed(String name, byte[] b, int from, int to) throws DecodeException {
        Inflater z = new Inflater();
        try {
            z.setInput(b, from, Math.max(0, Math.min(to, b.length) - from));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (!z.finished()) {
                int n = z.inflate(buf);
                if (n == 0 && (z.needsInput() || z.needsDictionary())) {
                    break;
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_INFLATED_METADATA) {
                    throw new DecodeException(name, "compressed metadata inflates beyond " + (MAX_INFLATED_METADATA >> 20)
                            + " MB; possible decompression bomb");
                }
            }
            byte[] plain = out.toByteArray();
            Hit found = find(plain, 0, plain.length);
            return found == null ? null : new Hit(found.what(), "compressed");
        } catch (DataFormatException e) {
            return null; // not our business here: the chunk's own reader judges corrupt text
        } finally {
            z.end();
        }
    }

    private static String rawAt(byte[] b, int i, int to) {
        if (startsWith(b, i, to, "\u0089PNG\r\n\u001a\n")) {
            return "PNG";
        }
        if (startsWith(b, i, to, "GIF87a") || startsWith(b, i, to, "GIF89a")) {
            return "GIF";
        }
        if (startsWith(b, i, to, "RIFF") && startsWith(b, i + 8, to, "WEBP")) {
            return "WebP";
        }
        if (startsWith(b, i, to, "\u0000\u0000\u0000\u000cjP  \r\n\u0087\n")) {
            return "JPEG 2000";
        }
        if (startsWith(b, i, to, "ftyp") && (startsWith(b, i + 4, to, "heic") || startsWith(b, i + 4, to, "heix")
                || startsWith(b, i + 4, to, "avif") || startsWith(b, i + 4, to, "mif1") || startsWith(b, i + 4, to, "msf1"))) {
            return "HEIF/AVIF";
        }
        if (jpegAt(b, i, to)) {
            return "JPEG";
        }
        if (tiffAt(b, i, to)) {
            return "TIFF";
        }
        return null;
    }

    /** FF D8, then two segments whose markers and lengths chain (or the payload ends inside the second). */
    private static boolean jpegAt(byte[] b, int i, int to) {
        if (i + 6 > to || (b[i] & 0xff) != 0xFF || (b[i + 1] & 0xff) != 0xD8 || (b[i + 2] & 0xff) != 0xFF) {
            return false;
        }
        int marker = b[i + 3] & 0xff;
        boolean plausible = (marker >= 0xE0 && marker <= 0xEF) || marker == 0xDB || marker == 0xC4 || marker == 0xFE
                || (marker >= 0xC0 && marker <= 0xC2);
        if (!plausible) {
            return false;
        }
        int len = ((b[i + 4] & 0xff) << 8) | (b[i + 5] & 0xff);
        int next = i + 4 + len;
        return len >= 2 && (next + 1 >= to || (b[next] & 0xff) == 0xFF);
    }

    /** II*\0 or MM\0*, with a first directory offset that lies past the header. */
    private static boolean tiffAt(byte[] b, int i, int to) {
        if (i + 8 > to) {
            return false;
        }
        boolean le = b[i] == 'I' && b[i + 1] == 'I' && b[i + 2] == 42 && b[i + 3] == 0;
        boolean be = b[i] == 'M' && b[i + 1] == 'M' && b[i + 2] == 0 && b[i + 3] == 42;
        if (!le && !be) {
            return false;
        }
        long ifd = le ? (b[i + 4] & 0xffL) | (b[i + 5] & 0xffL) << 8 | (b[i + 6] & 0xffL) << 16 | (b[i + 7] & 0xffL) << 24
                : (b[i + 7] & 0xffL) | (b[i + 6] & 0xffL) << 8 | (b[i + 5] & 0xffL) << 16 | (b[i + 4] & 0xffL) << 24;
        return ifd >= 8 && ifd < 1L << 28;
    }

    private static boolean startsWith(byte[] b, int i, int to, String sig) {
        if (i < 0 || i + sig.length() > to) {
            return false;
        }
        for (int k = 0; k < sig.length(); k++) {
            if ((b[i + k] & 0xff) != sig.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(byte[] b, int i, String sig) {
        return startsWith(b, i, b.length, sig);
    }

    static String ascii(byte[] b, int from, int n) {
        return new String(b, from, Math.max(0, Math.min(n, b.length - from)), StandardCharsets.ISO_8859_1);
    }
}
