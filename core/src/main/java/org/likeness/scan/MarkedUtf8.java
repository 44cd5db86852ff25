package org.likeness.scan;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.charset.spi.CharsetProvider;
import java.util.Iterator;
import java.util.List;

/**
 * UTF-8 for archive entry names, where a byte that is not UTF-8 becomes U+FFFD whatever the caller asks: the archive
 * library decodes names itself and would otherwise turn them into '?', a silent rename; with U+FFFD the name is known
 * to be unrepresentable and its file is refused by {@link OutputTree#refusal} instead of written under another name.
 */
public final class MarkedUtf8 extends Charset {
    public static final String NAME = "x-likeness-utf-8-marked";
    public static final MarkedUtf8 INSTANCE = new MarkedUtf8();

    private MarkedUtf8() {
        super(NAME, new String[0]);
    }

    @Override
    public boolean contains(Charset cs) {
        return StandardCharsets.UTF_8.contains(cs);
    }

    @Override
    public CharsetDecoder newDecoder() {
        CharsetDecoder inner = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        return new CharsetDecoder(this, 1f, 1f) {
            @Override
            protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
                // names are decoded whole: what is left at the end is a cut sequence, replaced like any other
                CoderResult r = inner.decode(in, out, true);
                if (r.isUnderflow()) {
                    r = inner.flush(out);
                    inner.reset();
                }
                return r;
            }
        };
    }

    @Override
    public CharsetEncoder newEncoder() {
        return StandardCharsets.UTF_8.newEncoder();
    }

    /** Makes the charset known to {@link Charset#forName} (META-INF/services). */
    public static final class Provider extends CharsetProvider {
        @Override
        public Iterator<Charset> charsets() {
            return List.<Charset>of(INSTANCE).iterator();
        }

        @Override
        public Charset charsetForName(String charsetName) {
            return NAME.equalsIgnoreCase(charsetName) ? INSTANCE : null;
        }
    }
}
