package org.likeness.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.SharedData;
import org.likeness.redact.Manifest;
import org.likeness.redact.ManifestEntry;
import org.likeness.redact.RedactMode;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.Purpose;
import org.likeness.scan.ScanRecord;

/**
 * The redaction use case on real photos: from an audit's findings (made with the fake scanner of {@link AuditTest}),
 * and for a registered collection under its subjects' consent now. Pixels matter here, so the photos are real.
 */
class RedactTest {
    @TempDir
    Path tmp;

    /** Withheld files reach the listener, one line each. */
    static final class Problems implements Listener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void problem(String path, String reason) {
            lines.add(path + ": " + reason);
        }
    }

    @Test
    void fromFindingsTheUnknownFaceIsBlurredAndTheUnreadableFileWithheld() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        AppRegistry reg = new AppRegistry(tmp.resolve("home"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(lfw.resolve("Hugo_Chavez/Hugo_Chavez_0001.jpg"), data.resolve("a.jpg"));
        Files.writeString(data.resolve("broken.jpg"), "not a picture");
        // the scan as the pipeline would make it: the file's real sha256 (the redactor withholds a file that changed since)
        ScanRecord a = new ScanRecord("a.jpg", org.likeness.model.Sha256.of(Files.readAllBytes(data.resolve("a.jpg"))), "jpeg", 250, 250,
                List.of(AppRegistry.face(AppRegistry.unit(7))), null, -1, null);
        AuditTest.FixedScanner scanner = new AuditTest.FixedScanner(List.of(a, ScanRecord.failed("broken.jpg", null, "not an image")));
        new Audit(scanner, reg.session, 1).run(new Audit.Request(data, "data", Purpose.TRAINING, Instant.now(), tmp.resolve("report"),
                false, "test"), Listener.NONE, Cancellation.none());

        Problems problems = new Problems();
        Path out = tmp.resolve("clean");
        Manifest m = new Redact(reg.session, "test").fromFindings(data, tmp.resolve("report").resolve(Audit.FINDINGS_JSON),
                Set.of("consented"), RedactMode.BLUR, out, false, problems);

        assertThat(m.count(ManifestEntry.REDACTED)).isEqualTo(1);
        assertThat(m.count(ManifestEntry.WITHHELD)).isEqualTo(1);
        assertThat(m.facesChanged()).isEqualTo(1);
        assertThat(problems.lines).singleElement().satisfies(l -> assertThat(l).startsWith("broken.jpg: withheld: "));
        assertThat(out.resolve("a.jpg")).exists();
        assertThat(Files.readAllBytes(out.resolve("a.jpg"))).isNotEqualTo(Files.readAllBytes(data.resolve("a.jpg")));
        assertThat(out.resolve("broken.jpg")).doesNotExist();
    }

    @Test
    void aCollectionIsJudgedByConsentNowAndTheRedactionLogged() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        AppRegistry reg = new AppRegistry(tmp.resolve("home"));
        reg.enrol("alice", 1);
        reg.enrol("bob", 2);
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(lfw.resolve("Hugo_Chavez/Hugo_Chavez_0001.jpg"), data.resolve("alice.jpg"));
        Files.copy(lfw.resolve("Serena_Williams/Serena_Williams_0001.jpg"), data.resolve("bob.jpg"));
        try (RegistryAccess a = reg.session.open("test")) {
            a.registry.grant(new ConsentGrant("alice", Purpose.TRAINING, Instant.parse("2020-01-01T00:00:00Z"), null, "consent", null));
            a.registry.addCollection("set", "org", data.toString(), AppRegistry.EMBEDDER, List.of(
                    new CollectionImage("alice.jpg", org.likeness.model.Sha256.of(Files.readAllBytes(data.resolve("alice.jpg"))), null,
                            List.of(new CollectionFace(0, 60, 60, 120, 120, "alice", 0.9, AppRegistry.unit(1)))),
                    new CollectionImage("bob.jpg", org.likeness.model.Sha256.of(Files.readAllBytes(data.resolve("bob.jpg"))), null,
                            List.of(new CollectionFace(0, 60, 60, 120, 120, "bob", 0.9, AppRegistry.unit(2))))));
        }
        Problems problems = new Problems();
        Path out = tmp.resolve("clean");
        Manifest m = new Redact(reg.session, "test").collection("set", Purpose.TRAINING, Set.of("consented"), RedactMode.PIXELATE, out,
                false, problems);

        assertThat(m.images()).extracting(ManifestEntry::path, ManifestEntry::action).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("alice.jpg", ManifestEntry.COPIED),
                org.assertj.core.groups.Tuple.tuple("bob.jpg", ManifestEntry.REDACTED));
        assertThat(Files.readAllBytes(out.resolve("alice.jpg"))).isEqualTo(Files.readAllBytes(data.resolve("alice.jpg")));
        assertThat(problems.lines).isEmpty();
        try (RegistryAccess a = reg.session.open("test")) {
            assertThat(a.registry.log(1, 1000)).extracting(e -> e.action()).contains("collection.redact");
        }
    }
}
