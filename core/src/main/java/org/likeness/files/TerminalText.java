package org.likeness.files;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Text from outside (file and entry names, ids a dataset carries) printed for a person: control characters (C0, DEL,
 * C1), line and paragraph separators and bidirectional overrides are shown as {@code \\uXXXX}, so that a name cannot
 * forge a line, drive the terminal (retitle it, hide text) or show itself backwards. The same rule as the registry's
 * ids and names (docs/REGISTRY.md, "Ids and output").
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** Whether a character must not reach a terminal raw. */
    public static boolean unsafe(int ch) {
        return ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || ch == 0x2028 || ch == 0x2029
                || (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069);
    }

    /** One line: every unsafe character (newlines and tabs included) escaped, and then backslashes doubled. */
    public static String escape(String s) {
        if (s == null || s.chars().noneMatch(TerminalText::unsafe)) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\') {
                b.append("\\\\");
            } else if (unsafe(ch)) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }

    /**
     * A stream (UTF-8 text) that passes newline, tab and carriage return (line structure, progress lines) and escapes
     * every other unsafe character, whatever printed it: the last line of defence behind {@link #escape}.
     */
    public static OutputStream filter(OutputStream out) {
        return new FilterOutputStream(out) {
            private int pending; // bytes of a 2- or 3-byte sequence held back (C2 xx, E2 80 xx, E2 81 xx)
            private final byte[] held = new byte[3];

            @Override
            public void write(int b) throws IOException {
                b &= 0xff;
                if (pending > 0) {
                    held[pending++] = (byte) b;
                    int lead = held[0] & 0xff;
                    if (lead == 0xC2) {
                        pending = 0;
                        if (b >= 0x80 && b < 0xa0) {
                            escaped(b);
                        } else {
                            out.write(held, 0, 2);
                        }
                        return;
                    }
                    if (pending == 2) { // E2, then 80 or 81 possibly starting a separator or an override
                        if (b != 0x80 && b != 0x81) {
                            pending = 0;
                            out.write(held, 0, 2);
                        }
                        return;
                    }
                    pending = 0;
                    int cp = 0x2000 | ((held[1] & 0x3f) << 6) | (b & 0x3f);
                    if (unsafe(cp)) {
                        escaped(cp);
                    } else {
                        out.write(held, 0, 3);
                    }
                    return;
                }
                if (b == 0xC2 || b == 0xE2) {
                    held[0] = (byte) b;
                    pending = 1;
                    return;
                }
                if (b != '\n' && b != '\t' && b != '\r' && unsafe(b)) {
                    escaped(b);
                } else {
                    out.write(b);
                }
            }

            private void escaped(int cp) throws IOException {
                out.write(String.format("\\u%04x", cp).getBytes(StandardCharsets.US_ASCII));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }

            @Override
            public void flush() throws IOException {
                if (pending > 0) {
                    out.write(held, 0, pending);
                    pending = 0;
                }
                out.flush();
            }
        };
    }

    /**
     * The same filter for text already decoded (picocli's writers): newline, tab and carriage return pass, every other
     * unsafe character is written as {@code \\uXXXX}.
     */
    public static java.io.Writer filter(java.io.Writer out) {
        return new java.io.FilterWriter(out) {
            @Override
            public void write(int c) throws IOException {
                if (c != '\n' && c != '\t' && c != '\r' && unsafe(c)) {
                    out.write(String.format("\\u%04x", c));
                } else {
                    out.write(c);
                }
            }

            @Override
            public void write(char[] cbuf, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(cbuf[off + i]);
                }
            }

            @Override
            public void write(String str, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(str.charAt(off + i));
                }
            }
        };
    }
}
