package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SIGKILL at a random point of {@code collection add}, then a rerun: the result is the same as an uninterrupted add
 * (the add is one transaction: either all of it or nothing), the log and rows verify, on H2 and PostgreSQL.
 */
class KillDuringCollectionAddTest {
    private static final int IMAGES = 5000;

    @TempDir
    Path tmp;

    static java.util.stream.Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aKilledAddThenARerunEqualsAnUninterruptedAdd(String kind) throws Exception {
        List<CollectionImage> images = CollectionAdder.images(IMAGES);
        SplittableRandom random = new SplittableRandom(kind.hashCode());
        for (int round = 0; round < 3; round++) {
            Path dir = tmp.resolve("round" + round);
            try (TestDatabase db = TestDatabase.create(kind, dir); MasterKey key = MasterKey.random()) {
                Registry.init(db.location(), key, "tester");
                try (Registry r = Registry.open(db.location(), key, "tester")) {
                    r.addSubject("alice", "Alice", TestVectors.MODEL, List.of(TestVectors.face(1)));
                }
                String classpath = System.getProperty("java.class.path");
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m", "-cp", classpath, CollectionAdder.class.getName(), db.location().jdbcUrl(),
                        db.location().home().toString(), Integer.toString(IMAGES)));
                Path childErr = dir.resolve("child.err");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(childErr.toFile());
                pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG")); // hermetic: the test command exports LIKENESS_DB_* for its PostgreSQL runs
                pb.environment().putAll(db.env());
                pb.environment().put(MasterKey.ENV, Base64.getEncoder().encodeToString(key.bytes()));
                Process child = pb.start();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String first = out.readLine();
                    if (first == null) {
                        child.waitFor(30, TimeUnit.SECONDS);
                    }
                    assertThat(first).as("the child's first line (its stderr: %s)",
                            first == null && Files.exists(childErr) ? Files.readString(childErr) : "").isEqualTo("started");
                    Thread.sleep(random.nextInt(50, 1500));
                    child.destroyForcibly(); // SIGKILL on Linux
                    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                try (Registry r = Registry.open(db.location(), key, "rerun")) {
                    boolean committed = !r.collections().isEmpty();
                    if (!committed) {
                        r.addCollection("set", "owner", "/data/set", TestVectors.MODEL, images);
                    }
                    System.out.println(kind + " round " + round + ": the killed add had " + (committed ? "" : "not ") + "committed");
                    List<CollectionImage> stored = r.collectionImages("set", true);
                    assertThat(stored).isEqualTo(images);
                    for (int i = 0; i < IMAGES; i += 997) {
                        assertThat(stored.get(i).faces().get(0).template()).isEqualTo(images.get(i).faces().get(0).template());
                    }
                    RegistryVerification v = r.verify();
                    assertThat(v.intact()).as(String.valueOf(v.problem())).isTrue();
                    assertThat(r.log(1, 100)).filteredOn(e -> e.action().equals("collection.add")).hasSize(1);
                }
            }
        }
    }
}
