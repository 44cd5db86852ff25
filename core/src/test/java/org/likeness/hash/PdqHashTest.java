package org.likeness.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PdqHashTest {

    @Test
    void hexRoundTripsAndFollowsReferenceWordOrder() {
        // Reference format: 16-bit word 15 first; bit 0 is the lowest bit of the last hex digit.
        PdqHash bit0 = new PdqHash(1L, 0, 0, 0);
        assertThat(bit0.toHex()).isEqualTo("0".repeat(63) + "1");
        PdqHash bit255 = new PdqHash(0, 0, 0, Long.MIN_VALUE);
        assertThat(bit255.toHex()).isEqualTo("8" + "0".repeat(63));
        assertThat(bit255.bit(255)).isTrue();
        Random random = new Random(7);
        for (int i = 0; i < 100; i++) {
            PdqHash h = new PdqHash(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            assertThat(PdqHash.parse(h.toHex())).isEqualTo(h);
            assertThat(PdqHash.parse(h.toHex().toUpperCase())).isEqualTo(h);
            // the form scan files have always had (it was written with String.format before)
            assertThat(h.toHex()).isEqualTo(String.format("%016x%016x%016x%016x", h.w3(), h.w2(), h.w1(), h.w0()));
        }
    }

    @Test
    void distanceCountsDifferingBits() {
        PdqHash zero = new PdqHash(0, 0, 0, 0);
        PdqHash some = new PdqHash(0b1011L, 0, 1L << 63, -1L);
        assertThat(zero.distance(some)).isEqualTo(3 + 1 + 64);
        assertThat(some.distance(some)).isZero();
        assertThat(some.bitCount()).isEqualTo(68);
    }

    @Test
    void parseRejectsMalformedInputNamingIt() {
        assertThatThrownBy(() -> PdqHash.parse("abc")).hasMessageContaining("\"abc\"").hasMessageContaining("64");
        assertThatThrownBy(() -> PdqHash.parse("g".repeat(64))).hasMessageContaining("not hexadecimal");
    }
}
