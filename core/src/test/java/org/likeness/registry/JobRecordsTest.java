package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.likeness.jobs.Job;
import org.likeness.jobs.JobEngine;
import org.likeness.jobs.JobKind;
import org.likeness.jobs.JobRunner;
import org.likeness.jobs.JobState;
import org.likeness.json.Json;

/** The job table on H2 and PostgreSQL: rows round-trip, a transition happens only from the state it names, an engine runs on it. */
class JobRecordsTest {
    @TempDir
    Path tmp;

    static java.util.stream.Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void rowsRoundTripAndTransitionsAreConditional(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            Registry.init(db.location(), key, "tester");
            try (Registry r = Registry.open(db.location(), key, "tester")) {
                JobRecords t = r.jobs();
                Instant created = Instant.parse("2026-11-29T20:00:00.123456Z");
                t.insert(new JobRow("j1", "audit", "queued", "org-a", "acct-1", "{\"purpose\":\"training\"}", "/tmp/j1", 0, -1, null, 0,
                        null, null, 0, created, null, null));
                t.insert(new JobRow("j2", "trace", "queued", "org-b", null, "{}", "/tmp/j2", 0, -1, null, 0, null, null, 0,
                        created.plusSeconds(1), null, null));
                JobRow j1 = t.find("j1");
                assertThat(j1.org()).isEqualTo("org-a");
                assertThat(j1.createdAt()).isEqualTo(created);
                assertThat(j1.startedAt()).isNull();
                assertThat(t.find("nope")).isNull();

                Instant started = Instant.now().truncatedTo(ChronoUnit.MICROS);
                assertThat(t.transition("j1", "queued", "running", started, null, null, null, true)).isTrue();
                assertThat(t.transition("j1", "queued", "cancelled", null, Instant.now(), null, "late", false)).isFalse();
                t.progress("j1", "scan", 5, 10, 1);
                assertThat(t.transition("j1", "running", "succeeded", null, started.plusSeconds(3), "{\"faces\":3}", null, false)).isTrue();
                JobRow done = t.find("j1");
                assertThat(done.state()).isEqualTo("succeeded");
                assertThat(done.attempts()).isEqualTo(1);
                assertThat(done.startedAt()).isEqualTo(started);
                assertThat(done.done()).isEqualTo(5);
                assertThat(done.total()).isEqualTo(10);
                assertThat(done.problems()).isEqualTo(1);
                assertThat(done.result()).isEqualTo("{\"faces\":3}");
                assertThat(done.error()).isNull();

                assertThat(t.list("org-a", 0, 10)).extracting(JobRow::id).containsExactly("j1");
                assertThat(t.list(null, 0, 10)).extracting(JobRow::id).containsExactly("j2", "j1");
                assertThat(t.list(null, 1, 10)).extracting(JobRow::id).containsExactly("j1");
                assertThat(t.inState("queued")).extracting(JobRow::id).containsExactly("j2");

                // an engine on this database runs the queued job left in it
                JobEngine.Runners runners = (k, threads) -> new JobRunner() {
                    @Override
                    public com.fasterxml.jackson.databind.JsonNode run(Job job, boolean resumed, org.likeness.app.Listener listener,
                                                                       org.likeness.app.Cancellation cancellation) {
                        return Json.MAPPER.createObjectNode().put("kind", job.kind().word());
                    }

                    @Override
                    public boolean resumable() {
                        return false;
                    }
                };
                try (JobEngine engine = new JobEngine(t, tmp.resolve("jobs"), runners, new JobEngine.Config(1, 1))) {
                    engine.start();
                    Job submitted = engine.submit(JobKind.RELEASE, Map.of("collection", "c", "recipient", "bob"), "org-a", "acct-1");
                    long end = System.nanoTime() + 60_000_000_000L;
                    while ((!engine.get("j2").state().finished() || !engine.get(submitted.id()).state().finished()) && System.nanoTime() < end) {
                        Thread.sleep(10);
                    }
                    assertThat(engine.get("j2").state()).isEqualTo(JobState.SUCCEEDED);
                    assertThat(engine.get(submitted.id()).state()).isEqualTo(JobState.SUCCEEDED);
                    assertThat(engine.get(submitted.id()).request()).containsEntry("recipient", "bob");
                    assertThat(engine.get(submitted.id()).result().get("kind").asText()).isEqualTo("release");
                }
            }
        }
    }
}
