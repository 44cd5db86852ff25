package org.likeness.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.face.FacePipeline;
import org.likeness.registry.CollectionInfo;
import org.likeness.scan.Progress;

/**
 * Collection registration, release and trace as use cases on real lfw-dev photos: a release cancelled part-way keeps
 * its INCOMPLETE marker and the same request finishes it; the trace of the released copy names the recipient; bad
 * files reach the listener.
 */
class ReleaseTraceTest {
    @TempDir
    Path tmp;

    static final class Recording implements Listener {
        final List<String> problems = new ArrayList<>();

        @Override
        public void problem(String path, String reason) {
            problems.add(path + ": " + reason);
        }
    }

    @Test
    void aCancelledReleaseIsFinishedByTheSameRequestAndItsLeakIsTraced() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        AppRegistry reg = new AppRegistry(tmp.resolve("home"));
        Path data = Files.createDirectories(tmp.resolve("studio"));
        try (Stream<Path> s = Files.list(lfw)) {
            for (Path person : s.sorted().limit(8).toList()) {
                try (Stream<Path> photos = Files.list(person)) {
                    Path p = photos.sorted().findFirst().orElseThrow();
                    Files.copy(p, data.resolve(p.getFileName()));
                }
            }
        }
        Files.writeString(data.resolve("notes.jpg"), "not a picture");
        Recording registering = new Recording();
        CollectionScan.Result<CollectionInfo> added = new CollectionScan(
                FaceScanner.of(() -> FacePipeline.open(Models.store(), FacePipeline.Options.defaults(1)), 2), reg.session, "studio")
                .add("studio", null, data, null, registering, Cancellation.none());
        assertThat(added.stored().images()).isEqualTo(8);
        assertThat(added.failed()).isEqualTo(1);
        assertThat(registering.problems).singleElement().satisfies(p -> assertThat(p).startsWith("notes.jpg: not registered: "));

        // cancelled after three photos: the marker stays, the copy is not complete
        Path out = tmp.resolve("copy-bob");
        Cancellation cancel = new Cancellation();
        Listener cancelling = new Listener() {
            @Override
            public Progress progress(String stage, long total) {
                return new Progress(stage, total, (label, done, t, finished) -> {
                    if (done >= 3) {
                        cancel.cancel("cancelled by test");
                    }
                });
            }
        };
        Release release = new Release(reg.session, "studio", 1);
        assertThatThrownBy(() -> release.run(new Release.Request("studio", "bob", out), cancelling, cancel))
                .isInstanceOf(CancelledException.class);
        assertThat(out.resolve(Release.INCOMPLETE_MARKER)).exists();
        Release.Result finished = release.run(new Release.Request("studio", "bob", out), Listener.NONE, Cancellation.none());
        assertThat(finished.complete()).isTrue();
        assertThat(finished.written()).isEqualTo(8);
        assertThat(out.resolve(Release.INCOMPLETE_MARKER)).doesNotExist();

        Files.writeString(out.resolve("truncated.jpg"), "\u00ff\u00d8\u00ff");
        Recording tracing = new Recording();
        Trace.Result traced = new Trace(reg.session, () -> {
            throw new AssertionError("a PDQ-only trace opens no pipeline");
        }, "studio", 2).run(new Trace.Request(out, tmp.resolve("trace"), null, false, "test"), tracing, Cancellation.none());
        assertThat(traced.trace().recipients()).containsKey("bob");
        assertThat(traced.trace().collections()).containsEntry("studio", 8);
        assertThat(tracing.problems).singleElement().satisfies(p -> assertThat(p).startsWith("truncated.jpg: "));
        assertThat(tmp.resolve("trace").resolve(Trace.TRACE_JSON)).exists();
    }
}
