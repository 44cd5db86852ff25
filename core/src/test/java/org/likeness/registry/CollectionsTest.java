package org.likeness.registry;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registered collections, impact, release keys and releases, on H2 and on PostgreSQL (schema 2). */
class CollectionsTest {
    @TempDir
    Path tmp;

    static java.util.stream.Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    private static CollectionImage image(String path, long seed, String subject, float[] template) {
        return new CollectionImage(path, TestVectors.sha(seed), null,
                List.of(new CollectionFace(0, 10, 20, 30, 40, subject, subject == null ? 0 : 0.8, template),
                        new CollectionFace(1, 100, 20, 30, 40, null, 0.1, TestVectors.unit(seed + 1000))));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void collectionsImpactReleasesAndErasure(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            Registry.init(db.location(), key, "tester");
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                r.addSubject("s1", null, TestVectors.MODEL, List.of(TestVectors.face(1)));
                float[] t = TestVectors.unit(7);
                r.addCollection("lab-a", "Acme", "/data/a", TestVectors.MODEL, List.of(image("p/1.jpg", 1, "s1", t),
                        image("p/2.jpg", 2, null, TestVectors.unit(8)), image("p/3.jpg", 3, "s1", TestVectors.unit(9))));
                r.addCollection("lab-b", "Beta", "/data/b", TestVectors.MODEL, List.of(image("q/1.jpg", 4, "s1", TestVectors.unit(10))));
                assertThatThrownBy(() -> r.addCollection("lab-a", "Acme", "/data/a", TestVectors.MODEL, List.of()))
                        .isInstanceOf(DuplicateException.class);
                assertThatThrownBy(() -> r.addCollection("../x", "Acme", "/data/a", TestVectors.MODEL, List.of()))
                        .isInstanceOf(InvalidInputException.class).hasMessageContaining("letters, digits");

                assertThat(r.collections()).extracting(CollectionInfo::name, CollectionInfo::images, CollectionInfo::faces)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("lab-a", 3, 6), org.assertj.core.groups.Tuple.tuple("lab-b", 1, 2));
                List<CollectionImage> a = r.collectionImages("lab-a", true);
                assertThat(a).extracting(CollectionImage::path).containsExactly("p/1.jpg", "p/2.jpg", "p/3.jpg");
                assertThat(TestVectors.cosine(a.get(0).faces().get(0).template(), t)).isGreaterThan(0.9999);
                assertThat(r.collectionImages("lab-a", false).get(0).faces().get(0).template()).isNull();
                assertThat(r.impact("s1")).extracting(i -> i.collection() + ":" + i.path())
                        .containsExactly("lab-a:p/1.jpg", "lab-a:p/3.jpg", "lab-b:q/1.jpg");

                CollectionChange change = r.rescanCollection("lab-a", TestVectors.MODEL, List.of(image("p/1.jpg", 1, "s1", t),
                        image("p/2.jpg", 22, null, TestVectors.unit(8)), image("p/4.jpg", 5, null, TestVectors.unit(11))));
                assertThat(change).isEqualTo(new CollectionChange(1, 1, 1, 1));
                assertThat(r.impact("s1")).extracting(i -> i.collection() + ":" + i.path()).containsExactly("lab-a:p/1.jpg", "lab-b:q/1.jpg");

                AtomicInteger created = new AtomicInteger();
                byte[] secret = new byte[32];
                secret[0] = 42;
                ReleaseKey k1 = r.releaseKey(() -> {
                    created.incrementAndGet();
                    return new ReleaseKey("k1", secret);
                });
                ReleaseKey k2 = r.releaseKey(() -> {
                    created.incrementAndGet();
                    return new ReleaseKey("k2", new byte[32]);
                });
                assertThat(created).hasValue(1);
                assertThat(k2).isEqualTo(k1);
                assertThat(r.releaseKey("k1").secret()).isEqualTo(secret);
                r.recordRelease("lab-a", "alice", "k1", 3);
                r.recordRelease("lab-a", "alice", "k1", 4);
                r.recordRelease("lab-b", "bob", "k1", 1);
                assertThat(r.releases("lab-a")).extracting(Release::recipient, Release::images)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", 4));
                assertThatThrownBy(() -> r.recordRelease("lab-a", "a b", "k1", 1)).isInstanceOf(InvalidInputException.class);

                r.erase("s1");
                assertThat(r.collectionImages("lab-a", true).get(0).faces().get(0).template()).as("erased with the subject").isNull();
                assertThat(r.collectionImages("lab-a", true).get(0).faces().get(1).template()).isNotNull();
                assertThat(r.impact("s1")).as("the link stays, so redaction keeps removing the face").hasSize(2);

                r.removeCollection("lab-b");
                assertThat(r.releases(null)).extracting(Release::collection).containsExactly("lab-a");
                assertThat(r.impact("s1")).extracting(ImpactedImage::collection).containsExactly("lab-a");
                assertThat(r.verifyLog().intact()).isTrue();
            }
        }
    }
}
