package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped (immediate shutdown, as a crash) and restarted in the middle of {@code collection add}, consent
 * grants and an audit's consent reads: each fails with a one-line message naming the database, nothing acknowledged is
 * lost, and a rerun completes with the same result as an uninterrupted run. Runs on a throw-away cluster of its own
 * (scripts/pg-start.sh with another folder and port), so the shared test cluster is never stopped.
 */
class PostgresFaultTest {
    /** How long after the collection add starts the server is killed. */
    private static final long CRASH_AFTER_MS = 700;
    private static Path dir;
    private static Map<String, String> env;
    private static String bin;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startOwnCluster() throws Exception {
        Path script = Path.of("../scripts/pg-start.sh").toAbsolutePath().normalize();
        try (Stream<Path> bins = Files.exists(Path.of("/usr/lib/postgresql")) ? Files.list(Path.of("/usr/lib/postgresql")) : Stream.empty()) {
            bin = bins.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("pg_ctl"))).map(Path::toString)
                    .findFirst().orElse(null);
        }
        assumeTrue(bin != null && Files.exists(script), "PostgreSQL binaries not installed: fault test skipped");
        dir = Files.createTempDirectory(Path.of("/tmp"), "likeness-pgfault-");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG")); // hermetic: the test command exports LIKENESS_DB_* for its PostgreSQL runs
        pb.environment().put("LIKENESS_PG_DIR", dir.toString());
        pb.environment().put("LIKENESS_PG_PORT", Integer.toString(port));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "could not start a throw-away cluster: " + out);
        env = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("export ")) {
                String[] kv = line.substring(7).split("=", 2);
                env.put(kv[0], kv[1]);
            }
        }
    }

    @AfterAll
    static void stopOwnCluster() throws Exception {
        if (dir != null) {
            pgCtl("stop", "-m", "immediate");
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void pgCtl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(bin + "/pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-l", dir.resolve("server.log").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** Restarts with the options scripts/pg-start.sh used (pg_ctl remembers them in postmaster.opts). */
    private static void crashAndRestart() throws Exception {
        pgCtl("stop", "-m", "immediate");
        Thread.sleep(300);
        String opts = Files.readString(dir.resolve("data").resolve("postmaster.opts"), StandardCharsets.UTF_8);
        pgCtl("start", "-o", optsOf(opts));
    }

    private static String optsOf(String postmasterOpts) {
        // postmaster.opts: /usr/lib/postgresql/N/bin/postgres "-D" "dir" "-p" "5432" "-k" "dir" "-c" "listen_addresses=..."
        List<String> parts = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(postmasterOpts);
        while (m.find()) {
            parts.add(m.group(1));
        }
        List<String> keep = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).equals("-D")) {
                i++;
                continue;
            }
            keep.add(parts.get(i));
        }
        return String.join(" ", keep);
    }

    private RegistryLocation location(String schema) throws Exception {
        String url = env.get("LIKENESS_TEST_PG_URL");
        try (var c = java.sql.DriverManager.getConnection(url, env.get("LIKENESS_DB_USER"), env.get("LIKENESS_DB_PASSWORD"));
             var s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        }
        return new RegistryLocation(url + "?currentSchema=" + schema, env.get("LIKENESS_DB_USER"), env.get("LIKENESS_DB_PASSWORD"),
                tmp.resolve("home-" + schema));
    }

    private static List<CollectionImage> images(int n) {
        List<CollectionImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new CollectionImage(String.format("img/%05d.jpg", i), TestVectors.sha(1000 + i), null,
                    List.of(new CollectionFace(0, 1, 2, 30, 40, i % 3 == 0 ? "alice" : null, 0.5, TestVectors.unit(i)))));
        }
        return out;
    }

    @Test
    void aCrashInTheMiddleLosesNothingAcknowledgedAndARerunCompletes() throws Exception {
        RegistryLocation loc = location("fault");
        RegistryLocation reference = location("reference");
        List<CollectionImage> images = images(20_000);
        try (MasterKey key = MasterKey.random()) {
            for (RegistryLocation l : List.of(loc, reference)) {
                Registry.init(l, key, "tester");
                try (Registry r = Registry.open(l, key, "tester")) {
                    r.addSubject("alice", "Alice", TestVectors.MODEL, List.of(TestVectors.face(1)));
                }
            }
            try (Registry r = Registry.open(reference, key, "tester")) {
                r.addCollection("set", "owner", "/data/set", TestVectors.MODEL, images);
            }
            AtomicInteger acknowledged = new AtomicInteger();
            try (Registry r = Registry.open(loc, key, "tester")) {
                // grants in a loop and a large collection add, both in flight when the server dies
                CompletableFuture<Throwable> grants = CompletableFuture.supplyAsync(() -> {
                    try {
                        for (int i = 0; ; i++) {
                            r.grant(new ConsentGrant("alice", Purpose.EVALUATION, Instant.parse("2025-01-01T00:00:00Z"), null,
                                    "grant " + i, null));
                            acknowledged.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        return t;
                    }
                });
                while (acknowledged.get() < 20) {
                    Thread.sleep(10);
                }
                CompletableFuture<Throwable> add = CompletableFuture.supplyAsync(() -> {
                    try {
                        r.addCollection("set", "owner", "/data/set", TestVectors.MODEL, images);
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
                Thread.sleep(CRASH_AFTER_MS); // the add of 20,000 images takes seconds: the server dies in its middle
                crashAndRestart();
                Throwable g = grants.get(120, TimeUnit.SECONDS);
                assertThat(g).isInstanceOf(StorageException.class);
                assertThat(g.getMessage()).startsWith("registry database " + loc.jdbcUrl() + " failed: ").doesNotContain("\n");
                Throwable a = add.get(120, TimeUnit.SECONDS);
                System.out.println("acknowledged grants before the crash: " + acknowledged.get() + "; grants: " + g.getMessage()
                        + "; collection add: " + (a == null ? "completed before the crash" : "interrupted: " + a.getMessage()));
                assertThat(a).as("the collection add was interrupted").isInstanceOf(StorageException.class);
                assertThat(a.getMessage()).contains(loc.jdbcUrl()).doesNotContain("\n");
                // an audit's consent read while the server is down fails the same way
                pgCtl("stop", "-m", "immediate");
                assertThatThrownBy(() -> r.statuses(List.of("alice"), Purpose.EVALUATION, Instant.now()))
                        .isInstanceOf(StorageException.class).hasMessageContaining(loc.jdbcUrl());
                pgCtl("start", "-o", optsOf(Files.readString(dir.resolve("data").resolve("postmaster.opts"))));
            }
            // rerun after the restart, in a new process's registry
            try (Registry r = Registry.open(loc, key, "tester")) {
                assertThat(r.consents("alice").size()).as("every acknowledged grant survived").isGreaterThanOrEqualTo(acknowledged.get());
                assertThat(r.collections()).as("the interrupted add left nothing behind").isEmpty();
                r.addCollection("set", "owner", "/data/set", TestVectors.MODEL, images);
                r.grant(new ConsentGrant("alice", Purpose.EVALUATION, Instant.parse("2025-01-01T00:00:00Z"), null, "rerun", null));
                assertThat(r.statuses(List.of("alice"), Purpose.EVALUATION, Instant.now()).get("alice").state())
                        .isEqualTo(ConsentState.CONSENTED);
                RegistryVerification v = r.verify();
                assertThat(v.intact()).as(String.valueOf(v.problem())).isTrue();
                try (Registry ref = Registry.open(reference, key, "tester")) {
                    assertThat(r.collectionImages("set", true)).as("same collection as an uninterrupted add")
                            .isEqualTo(ref.collectionImages("set", true));
                }
            }
        }
    }
}
