package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TemplateGalleryTest {
    static final MatchPolicy POLICY = new MatchPolicy(0.5, MatchPolicy.PROVISIONAL_MARGIN);

    @Test
    void twoTemplatesOfOneSubjectDoNotMakeItAmbiguous() {
        float[] a = TestVectors.unit(1);
        float[] a2 = TestVectors.near(a, 0.95, 2);
        float[] b = TestVectors.unit(3);
        try (TemplateGallery g = TemplateGallery.of("m", POLICY, new String[] {"a", "a", "b"},
                new float[][] {a, a2, b}, TemplateGallery.Search.BRUTE_FORCE)) {
            Identification id = g.identify(TestVectors.near(a, 0.8, 4));
            assertThat(id.subject()).contains("a");
            assertThat(id.runnerUp()).isEqualTo("b");
            assertThat(g.subjects()).isEqualTo(2);
        }
    }

    @Test
    void theMarginAndThresholdAreBothRequired() {
        float[] a = TestVectors.unit(1);
        float[] b = TestVectors.near(a, 0.9, 2);
        try (TemplateGallery g = TemplateGallery.of("m", POLICY, new String[] {"a", "b"}, new float[][] {a, b},
                TemplateGallery.Search.BRUTE_FORCE)) {
            Identification id = g.identify(a);
            assertThat(id.score()).isGreaterThan(POLICY.threshold());
            assertThat(id.score() - id.runnerUpScore()).isLessThan(POLICY.margin() * 3);
            MatchPolicy strict = new MatchPolicy(0.5, 0.2);
            try (TemplateGallery g2 = TemplateGallery.of("m", strict, new String[] {"a", "b"}, new float[][] {a, b},
                    TemplateGallery.Search.BRUTE_FORCE)) {
                assertThat(g2.identify(a).outcome()).isEqualTo(Identification.Outcome.AMBIGUOUS);
                assertThat(g2.identify(a).subject()).isEmpty();
            }
        }
        assertThatThrownBy(() -> new MatchPolicy(1.5, 0.1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1.5");
    }

    @Test
    void aClosedGalleryIsZeroedAndRefusesToSearch() {
        float[] a = TestVectors.unit(1);
        TemplateGallery g = TemplateGallery.of("m", POLICY, new String[] {"a"}, new float[][] {a},
                TemplateGallery.Search.BRUTE_FORCE);
        assertThat(g.identify(a).subject()).contains("a");
        g.close();
        assertThatThrownBy(() -> g.identify(a)).isInstanceOf(IllegalStateException.class)
                .hasMessage("gallery of model m is closed");
    }

    @Test
    void aProbeOfTheWrongDimensionIsRefused() {
        try (TemplateGallery g = TemplateGallery.of("m", POLICY, new String[] {"a"},
                new float[][] {TestVectors.unit(1)}, TemplateGallery.Search.BRUTE_FORCE)) {
            assertThatThrownBy(() -> g.identify(new float[128])).isInstanceOf(InvalidInputException.class)
                    .hasMessage("probe has 128 dimensions but templates of model m have 512");
        }
    }

    /** Each approximate search against the brute-force oracle on random unit vectors, mated and non-mated probes. */
    @ParameterizedTest
    @EnumSource(value = TemplateGallery.Search.class, names = {"SIGN_CODES", "HNSW"})
    void approximateSearchAgreesWithBruteForce(TemplateGallery.Search search) {
        int subjects = 4000;
        SplittableRandom r = new SplittableRandom(42);
        String[] owner = new String[subjects + subjects / 4];
        float[][] templates = new float[owner.length][];
        for (int t = 0; t < owner.length; t++) {
            int s = t < subjects ? t : r.nextInt(subjects); // a quarter of subjects get a second template
            owner[t] = "s" + s;
            templates[t] = t < subjects ? TestVectors.unit(s) : TestVectors.near(TestVectors.unit(s), 0.9, t);
        }
        try (TemplateGallery hnsw = TemplateGallery.of("m", POLICY, owner, templates, search)) {
            assertThat(hnsw.approximate()).isTrue();
            assertThat(hnsw.usesHnsw()).isEqualTo(search == TemplateGallery.Search.HNSW);
            int queries = 400;
            int sameCandidate = 0;
            for (int q = 0; q < queries; q++) {
                boolean mated = q % 2 == 0;
                float[] probe = mated ? TestVectors.near(TestVectors.unit(r.nextInt(subjects)), 0.7, 1_000_000 + q)
                        : TestVectors.unit(2_000_000 + q);
                Identification approx = hnsw.identify(probe);
                Identification exact = hnsw.identifyExact(probe);
                // candidates are rescored exactly, so an approximate score is a true score of that
                // subject and never above the oracle's best
                assertThat(approx.score()).isLessThanOrEqualTo(exact.score());
                if (approx.candidate().equals(exact.candidate())) {
                    if (mated) {
                        sameCandidate++;
                    }
                }
                if (approx.outcome() == Identification.Outcome.MATCH) {
                    // fail closed: the approximate search never accepts what the oracle refuses
                    assertThat(exact.subject()).isEqualTo(approx.subject());
                }
                if (mated) {
                    assertThat(approx.outcome()).isEqualTo(exact.outcome());
                } else {
                    assertThat(approx.subject()).isEmpty();
                }
            }
            // non-mated random probes have near-tied best candidates far below the threshold: only
            // their decision (unknown) must agree; mated probes must find the same subject
            assertThat(sameCandidate).as("mated top candidate agreement").isGreaterThanOrEqualTo(queries / 2 * 995 / 1000);
        }
    }

    @Test
    void autoScoresEveryTemplateBelowTheCrossoverOnly() {
        String[] owners = new String[TemplateGallery.APPROXIMATE_FROM];
        float[][] templates = new float[owners.length][];
        for (int t = 0; t < owners.length; t++) {
            owners[t] = "s" + t;
            templates[t] = TestVectors.unit(t);
        }
        try (TemplateGallery at = TemplateGallery.of("m", POLICY, owners, templates, TemplateGallery.Search.AUTO);
             TemplateGallery below = TemplateGallery.of("m", POLICY, java.util.Arrays.copyOf(owners, owners.length - 1),
                     java.util.Arrays.copyOf(templates, templates.length - 1), TemplateGallery.Search.AUTO)) {
            assertThat(at.approximate()).isTrue();
            assertThat(at.usesHnsw()).isFalse();
            assertThat(below.approximate()).isFalse();
            assertThat(at.identify(TestVectors.near(templates[7], 0.7, 1_000_007)).subject()).contains("s7");
        }
    }
}
