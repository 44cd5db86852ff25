package org.likeness.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.audit.AuditStatus;
import org.likeness.audit.Finding;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.Purpose;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;

/** The audit use case with a fake scanner (chosen vectors instead of the face pipeline) against a real registry. */
class AuditTest {
    @TempDir
    Path tmp;

    /** Hands out fixed records, as the pipeline would after scanning; counts its calls. */
    static final class FixedScanner implements FaceScanner {
        final List<ScanRecord> records;
        final AtomicInteger calls = new AtomicInteger();

        FixedScanner(List<ScanRecord> records) {
            this.records = records;
        }

        @Override
        public ScanHeader scan(String label, Scan.Source source, Path scanFile, Path scratch, java.util.function.Consumer<ScanRecord> sink,
                               Listener listener, Cancellation cancellation) {
            calls.incrementAndGet();
            cancellation.check();
            records.forEach(sink);
            records.stream().filter(r -> !r.ok()).forEach(r -> listener.problem(r.path(), r.error()));
            return new ScanHeader(ScanHeader.VERSION, label, "det", "lmk", AppRegistry.EMBEDDER, Instant.now().toString());
        }
    }

    static ScanRecord photo(String path, float[]... faces) {
        List<org.likeness.face.Face> fs = new ArrayList<>();
        for (float[] v : faces) {
            fs.add(AppRegistry.face(v));
        }
        return new ScanRecord(path, "a".repeat(64), "jpeg", 250, 250, fs, null, -1, null);
    }

    @Test
    void consentedStrangerAndUnreadableAreEachReportedAndTheFilesWritten() throws Exception {
        AppRegistry reg = new AppRegistry(tmp.resolve("home"));
        reg.enrol("alice", 1);
        reg.enrol("bob", 2);
        try (RegistryAccess a = reg.session.open("test")) {
            a.registry.grant(new ConsentGrant("alice", Purpose.TRAINING, Instant.parse("2020-01-01T00:00:00Z"), null, "consent", null));
        }
        Path dataset = Files.createDirectories(tmp.resolve("data"));
        FixedScanner scanner = new FixedScanner(List.of(
                photo("alice.jpg", AppRegistry.unit(1)),
                photo("bob-and-stranger.jpg", AppRegistry.unit(2), AppRegistry.unit(99)),
                ScanRecord.failed("broken.jpg", null, "not a JPEG: truncated")));
        List<String> problems = new ArrayList<>();
        Listener listener = new Listener() {
            @Override
            public void problem(String path, String reason) {
                problems.add(path + ": " + reason);
            }
        };
        Audit.Result r = new Audit(scanner, reg.session, 2).run(new Audit.Request(dataset, "data", Purpose.TRAINING,
                Instant.parse("2026-01-01T00:00:00Z"), tmp.resolve("report"), false, "test"), listener, Cancellation.none());

        assertThat(r.findings().faces()).extracting(Finding::path, Finding::subject, Finding::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alice.jpg", "alice", AuditStatus.CONSENTED),
                org.assertj.core.groups.Tuple.tuple("bob-and-stranger.jpg", "bob", AuditStatus.of(org.likeness.registry.ConsentState.NO_CONSENT)),
                org.assertj.core.groups.Tuple.tuple("bob-and-stranger.jpg", null, AuditStatus.UNKNOWN));
        assertThat(r.allConsented()).isFalse();
        assertThat(r.findings().failedCount()).isEqualTo(1);
        assertThat(problems).containsExactly("broken.jpg: not a JPEG: truncated");
        for (String f : new String[] {Audit.FINDINGS_JSON, Audit.FINDINGS_CSV, Audit.REPORT_HTML}) {
            assertThat(tmp.resolve("report").resolve(f)).isRegularFile();
        }
        try (RegistryAccess a = reg.session.open("test")) {
            assertThat(a.registry.log(1, 1000)).extracting(e -> e.action()).contains("audit.run");
        }
    }

    @Test
    void aCancelledAuditWritesNoFindingsAndLogsNothing() throws Exception {
        AppRegistry reg = new AppRegistry(tmp.resolve("home"));
        Path dataset = Files.createDirectories(tmp.resolve("data"));
        Cancellation c = new Cancellation();
        c.cancel("cancelled by test");
        FixedScanner scanner = new FixedScanner(List.of(photo("a.jpg", AppRegistry.unit(5))));
        assertThatThrownBy(() -> new Audit(scanner, reg.session, 1).run(new Audit.Request(dataset, "data", Purpose.TRAINING, Instant.now(),
                tmp.resolve("report"), false, "test"), Listener.NONE, c)).isInstanceOf(CancelledException.class).hasMessage("cancelled by test");
        assertThat(tmp.resolve("report").resolve(Audit.FINDINGS_JSON)).doesNotExist();
        try (RegistryAccess a = reg.session.open("test")) {
            assertThat(a.registry.log(1, 1000)).extracting(e -> e.action()).doesNotContain("audit.run");
        }
    }

    @Test
    void aMissingDatasetIsARequestErrorNamingIt() throws Exception {
        AppRegistry reg = new AppRegistry(tmp.resolve("home"));
        FixedScanner scanner = new FixedScanner(List.of());
        Path missing = tmp.resolve("nope");
        assertThatThrownBy(() -> new Audit(scanner, reg.session, 1).run(new Audit.Request(missing, "nope", Purpose.TRAINING, Instant.now(),
                tmp.resolve("report"), false, "test"), Listener.NONE, Cancellation.none()))
                .isInstanceOf(RequestException.class).hasMessage(missing + ": no such folder or archive");
        assertThat(scanner.calls.get()).isZero();
    }
}
