package org.likeness.image;

/** Formats recognised by their first bytes, whatever the file is called. */
public enum ImageFormat {
    JPEG, PNG, GIF, BMP, WEBP, TIFF, HEIC, AVIF, JPEG2000, JPEG_XL, ICO, UNKNOWN;

    /** The format's usual name in messages ("JPEG 2000", not JPEG2000). */
    public String label() {
        return switch (this) {
            case JPEG2000 -> "JPEG 2000";
            case JPEG_XL -> "JPEG XL";
            default -> name();
        };
    }

    /** Sniffs the format from the magic bytes at the start of a file. */
    public static ImageFormat sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return JPEG;
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return PNG;
        }
        if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
            return GIF;
        }
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
            return BMP;
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return WEBP;
        }
        if (b.length >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0)
                || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) {
            return TIFF;
        }
        if (startsWith(b, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A) // JP2 box (ISO 15444-1 I.5.1)
                || startsWith(b, 0xFF, 0x4F, 0xFF, 0x51)) {                         // raw codestream: SOC then SIZ
            return JPEG2000;
        }
        if (startsWith(b, 0xFF, 0x0A) || startsWith(b, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' ', 0x0D, 0x0A, 0x87, 0x0A)) {
            return JPEG_XL;
        }
        if (b.length >= 6 && startsWith(b, 0x00, 0x00, 0x01, 0x00) && (b[4] != 0 || b[5] != 0)) { // ICONDIR, ≥ 1 image
            return ICO;
        }
        if (b.length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
            String brand = new String(b, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
            return brand.startsWith("avi") ? AVIF : HEIC;
        }
        return UNKNOWN;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
