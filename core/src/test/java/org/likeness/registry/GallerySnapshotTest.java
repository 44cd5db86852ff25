package org.likeness.registry;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A sealed gallery opens only with its key, gives the same answers as the gallery it was made from, and says no secret. */
class GallerySnapshotTest {
    private static TemplateGallery gallery() {
        Random r = new Random(7);
        String[] subjects = new String[60];
        float[][] templates = new float[60][128];
        for (int t = 0; t < templates.length; t++) {
            subjects[t] = "s" + (t / 3);
            for (int i = 0; i < 128; i++) {
                templates[t][i] = (float) r.nextGaussian();
            }
        }
        return TemplateGallery.of("m", MatchPolicy.withProvisionalMargin(0.4), subjects, templates, TemplateGallery.Search.BRUTE_FORCE);
    }

    @Test
    void opensWithItsKeyOnlyAndAnswersBitForBitAsTheOriginal() {
        try (MasterKey master = MasterKey.random(); TemplateGallery g = gallery()) {
            GallerySnapshot.Sealed s = GallerySnapshot.seal(g, master);
            assertThat(s.toString()).doesNotContain(s.key());
            TemplateGallery opened = GallerySnapshot.open(s.bytes(), s.key(), TemplateGallery.Search.BRUTE_FORCE);
            Random r = new Random(8);
            for (int p = 0; p < 20; p++) {
                float[] probe = new float[128];
                for (int i = 0; i < 128; i++) {
                    probe[i] = (float) r.nextGaussian();
                }
                assertThat(opened.identifyExact(probe)).isEqualTo(g.identifyExact(probe));
            }
            GallerySnapshot.Sealed other = GallerySnapshot.seal(g, master); // a fresh salt: another key
            assertThat(other.key()).isNotEqualTo(s.key());
            assertThatThrownBy(() -> GallerySnapshot.open(s.bytes(), other.key(), TemplateGallery.Search.AUTO))
                    .isInstanceOf(MasterKeyException.class);
            byte[] altered = Arrays.copyOf(s.bytes(), s.bytes().length);
            altered[altered.length - 20] ^= 1;
            assertThatThrownBy(() -> GallerySnapshot.open(altered, s.key(), TemplateGallery.Search.AUTO))
                    .isInstanceOf(MasterKeyException.class);
        }
    }
}
