package org.likeness.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.DuplicateException;
import org.likeness.registry.EnrolFace;
import org.likeness.registry.FaceSource;

/** The import use case with in-memory fakes: order, all-or-nothing rows, and the log entry. */
class SubjectImportTest {
    @TempDir
    Path tmp;

    /** A photo is a text file holding its face count; photos whose name starts with "slow" take longer. */
    static final class CountingFaces implements FaceSource {
        @Override
        public List<EnrolFace> faces(Path photo) throws java.io.IOException {
            if (photo.getFileName().toString().startsWith("slow")) {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = Integer.parseInt(Files.readString(photo).trim());
            List<EnrolFace> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] v = new float[4];
                v[i % 4] = 1;
                out.add(new EnrolFace(v, 0.9, "0".repeat(64)));
            }
            return out;
        }

        @Override
        public String modelId() {
            return "fake@1";
        }
    }

    static final class MemoryStore implements SubjectImport.Store {
        final List<String> added = Collections.synchronizedList(new ArrayList<>());
        final List<String> log = new ArrayList<>();

        @Override
        public void addSubject(String id, String name, String modelId, List<EnrolFace> faces, List<ConsentGrant> grants) {
            if (added.contains(id)) {
                throw new DuplicateException("subject '" + id + "' already exists");
            }
            added.add(id);
        }

        @Override
        public void record(String action, Map<String, ?> payload) {
            log.add(action + " " + payload);
        }
    }

    private Path photo(String name, int faces) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, Integer.toString(faces));
        return p;
    }

    @Test
    void writesInManifestOrderWhateverTheWorkersFinishFirst() throws Exception {
        List<ImportRow> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Path p = photo((i % 3 == 0 ? "slow" : "fast") + i + ".txt", 1);
            rows.add(new ImportRow(i + 2, "s" + i, null, List.of(p), null, List.of()));
        }
        MemoryStore store = new MemoryStore();
        List<Integer> seen = new ArrayList<>();
        ImportReport report = new SubjectImport(new CountingFaces(), store, 4)
                .run(rows, List.of(), "ab", (row, refusal) -> seen.add(row.line()));
        assertThat(report.imported()).isEqualTo(40);
        assertThat(store.added).containsExactlyElementsOf(rows.stream().map(ImportRow::id).toList());
        assertThat(seen).containsExactlyElementsOf(rows.stream().map(ImportRow::line).toList());
        assertThat(store.log).singleElement().asString().startsWith("subject.import").contains("imported=40");
    }

    @Test
    void aRowWithAnyProblemWritesNothingAndTheRestGoOn() throws Exception {
        Path one = photo("one.txt", 1);
        Path none = photo("none.txt", 0);
        Path two = photo("two.txt", 2);
        List<ImportRow> rows = List.of(
                new ImportRow(2, "a", null, List.of(one, none), null, List.of()),
                new ImportRow(3, "b", null, List.of(one), null,
                        List.of(new ImportRow.Consent("training", null, null, null, null),
                                new ImportRow.Consent("training", "2027-01-01", "2026-01-01", null, null))),
                new ImportRow(4, "c", null, List.of(two), 3, List.of()),
                new ImportRow(5, "d", null, List.of(two), 2, List.of(new ImportRow.Consent("evaluation", null, null, null, null))),
                new ImportRow(6, "d", null, List.of(one), null, List.of()),
                new ImportRow(7, "e", null, List.of(), null, List.of()));
        MemoryStore store = new MemoryStore();
        ImportReport report = new SubjectImport(new CountingFaces(), store, 2)
                .run(rows, List.of(new ImportReport.Refusal(1, null, "header")), "ab", SubjectImport.Listener.NONE);
        assertThat(store.added).containsExactly("d");
        assertThat(report.imported()).isEqualTo(1);
        assertThat(report.consents()).isEqualTo(1);
        assertThat(report.rows()).isEqualTo(7);
        assertThat(report.refused()).extracting(ImportReport.Refusal::line).containsExactly(1, 2, 3, 4, 6, 7);
        assertThat(report.refused().get(1).reason()).contains("none.txt: no face found");
        assertThat(report.refused().get(2).reason()).contains("is not after");
        assertThat(report.refused().get(3).reason()).contains("face 3 but the photo has 2 face(s)");
        assertThat(report.refused().get(4).reason()).contains("already exists");
        assertThat(report.refused().get(5).reason()).contains("no photos");
    }
}
