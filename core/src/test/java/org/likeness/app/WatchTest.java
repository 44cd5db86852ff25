package org.likeness.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.ConsentState;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;

/** The consent watch reads only what was appended since its last check, also after a restart. */
class WatchTest {
    @TempDir
    Path tmp;

    @Test
    void checksAreIncrementalAndARestartedWatchStartsAtTheLastCheck() throws Exception {
        AppRegistry reg = new AppRegistry(tmp.resolve("home"));
        reg.enrol("alice", 1);
        try (RegistryAccess a = reg.session.open("test")) {
            Registry r = a.registry;
            r.grant(new ConsentGrant("alice", Purpose.TRAINING, Instant.parse("2020-01-01T00:00:00Z"), null, "consent", null));
            r.addCollection("photos", "org", tmp.toString(), AppRegistry.EMBEDDER, List.of(new CollectionImage("a.jpg", "b".repeat(64), null,
                    List.of(new CollectionFace(0, 1, 1, 10, 10, "alice", 0.9, AppRegistry.unit(1))))));
            for (int i = 0; i < 50; i++) { // unrelated history a full re-read would go through every time
                r.record("test.noise", java.util.Map.of("i", i));
            }
            Watch watch = new Watch(Purpose.TRAINING);
            Watch.Check first = watch.check(r);
            assertThat(first.recorded()).isTrue();
            assertThat(first.since()).isZero();
            assertThat(first.changed()).containsExactly("alice");
            long fullRead = watch.entriesReadByLastCheck();
            assertThat(fullRead).isGreaterThan(50);

            Watch.Check nothing = watch.check(r);
            assertThat(nothing.recorded()).isFalse();
            assertThat(nothing.since()).isEqualTo(first.through());
            assertThat(watch.entriesReadByLastCheck()).isEqualTo(1); // only the first check's own entry

            r.revoke("alice", Purpose.TRAINING);
            Watch.Check revoked = watch.check(r);
            assertThat(revoked.recorded()).isTrue();
            assertThat(revoked.changed()).containsExactly("alice");
            assertThat(revoked.states()).containsEntry("alice", ConsentState.REVOKED);
            assertThat(revoked.collections()).singleElement().satisfies(c -> {
                assertThat(c.notUsable()).isEqualTo(1);
                assertThat(c.changedSubjectImages()).containsEntry("alice", List.of("a.jpg"));
            });
            assertThat(watch.entriesReadByLastCheck()).isLessThan(5);

            Watch restarted = new Watch(Purpose.TRAINING);
            Watch.Check again = restarted.check(r);
            assertThat(again.recorded()).isFalse();
            assertThat(again.since()).isEqualTo(revoked.through());
            assertThat(restarted.entriesReadByLastCheck()).isLessThan(5);
        }
    }
}
