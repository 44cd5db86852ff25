package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGKILL at a random point of scan, audit, release and collection add, then the same command again (with --resume
 * where it has one): the result equals an uninterrupted run's. The kill point is drawn from the uninterrupted run's
 * duration with a seed printed on stdout, so a failure can be replayed ({@code -Dkill.seed=N}).
 */
class KillRerunTest {
    private static final int PHOTOS = 40;
    @TempDir
    Path tmp;
    private Path data;
    private Random random;
    private long seed;

    @BeforeEach
    void dataset() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        data = tmp.resolve("dataset");
        List<Path> photos;
        try (Stream<Path> s = Files.walk(lfw)) {
            photos = s.filter(p -> p.toString().endsWith(".jpg")).sorted().skip(400).limit(PHOTOS).toList();
        }
        for (Path p : photos) {
            Path to = data.resolve(lfw.relativize(p).toString());
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
        }
        seed = Long.getLong("kill.seed", System.nanoTime());
        random = new Random(seed);
    }

    /** A home for a child JVM: its own registry, the shared models. */
    private Path home(String name) throws Exception {
        Path home = Files.createDirectories(tmp.resolve(name));
        Files.createSymbolicLink(home.resolve("models"), Models.store().home().resolve("models"));
        return home;
    }

    private static Process start(Path home, String... args) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-cp",
                classpath, Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("child.log").toFile()));
        // hermetic: the test command exports LIKENESS_DB_* for the PostgreSQL suite, which must not reach these H2 runs
        pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG"));
        pb.environment().put("LIKENESS_HOME", home.toString());
        return pb.start();
    }

    /** Runs to the end; the exit code and how long it took. */
    private static long[] complete(Path home, String... args) throws Exception {
        long t0 = System.nanoTime();
        Process p = start(home, args);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", args)).isTrue();
        if (p.exitValue() != 0) {
            // what the child said, for a failure's diagnosis (the log holds every run of this home)
            List<String> log = Files.readAllLines(home.resolve("child.log"));
            System.out.println(String.join(" ", args) + " exited " + p.exitValue() + "; its home's log ends:\n  "
                    + String.join("\n  ", log.subList(Math.max(0, log.size() - 8), log.size())));
        }
        return new long[] {p.exitValue(), (System.nanoTime() - t0) / 1_000_000};
    }

    /**
     * Starts the command and kills it (SIGKILL) at a random point after {@code started} holds (its first output is on
     * disk), within what is left of an uninterrupted run's duration.
     */
    private void killed(long wholeMs, String what, java.util.function.BooleanSupplier started, Path home, String... args) throws Exception {
        long t0 = System.nanoTime();
        Process p = start(home, args);
        while (p.isAlive() && !started.getAsBoolean() && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120)) {
            Thread.sleep(2);
        }
        long elapsed = (System.nanoTime() - t0) / 1_000_000;
        long extra = (long) (Math.max(0, wholeMs - elapsed) * 0.9 * random.nextDouble());
        System.out.printf(Locale.ROOT, "kill %s %d ms after its first output (at %d of %d ms; seed %d)%n", what, extra, elapsed + extra,
                wholeMs, seed);
        if (!p.waitFor(extra, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(); // SIGKILL on Linux
        } else {
            System.out.println("  " + what + " ended before the kill");
        }
    }

    private static boolean holdsAny(Path dir, String suffix) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.anyMatch(p -> p.toString().endsWith(suffix));
        } catch (Exception absent) {
            return false;
        }
    }

    private static List<String> records(Path scan) throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(scan)), StandardCharsets.UTF_8))) {
            r.readLine(); // the header holds the time of the scan
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
            }
        }
        lines.sort(null);
        return lines;
    }

    @Test
    void scanKilledThenResumed() throws Exception {
        Path home = home("home");
        Path whole = tmp.resolve("whole.jsonl.gz");
        long[] w = complete(home, "scan", data.toString(), "-o", whole.toString(), "--threads", "2", "--no-progress");
        assertThat(w[0]).isZero();
        Path part = tmp.resolve("part.jsonl.gz");
        killed(w[1], "scan", () -> Files.exists(part), home, "scan", data.toString(), "-o", part.toString(), "--threads", "2", "--no-progress");
        assertThat(complete(home, "scan", data.toString(), "-o", part.toString(), "--resume", "--threads", "2", "--no-progress")[0]).isZero();
        assertThat(records(part)).hasSize(PHOTOS).isEqualTo(records(whole));
    }

    private static JsonNode findings(Path report) throws Exception {
        ObjectNode f = (ObjectNode) new ObjectMapper().readTree(report.resolve("findings.json").toFile());
        f.remove("registry_head"); // every audit is logged, so the head moves between runs
        return f;
    }

    @Test
    void auditKilledThenRun() throws Exception {
        Path home = home("home");
        assertThat(complete(home, "registry", "init")[0]).isZero();
        String[] audit = {"audit", data.toString(), "--purpose", "training", "--at", "2026-06-01T00:00:00Z", "--threads", "2", "--report"};
        Path r1 = tmp.resolve("r1");
        long[] w = complete(home, concat(audit, r1.toString()));
        assertThat(w[0]).isEqualTo(ExitCodes.NOT_CONSENTED);
        Path r2 = tmp.resolve("r2");
        killed(w[1], "audit", () -> Files.exists(r2.resolve("scan.jsonl.gz")), home, concat(audit, r2.toString()));
        assertThat(complete(home, concat(audit, r2.toString()))[0]).isEqualTo(ExitCodes.NOT_CONSENTED);
        assertThat(findings(r2)).isEqualTo(findings(r1));
        assertThat(records(r2.resolve("scan.jsonl.gz"))).isEqualTo(records(r1.resolve("scan.jsonl.gz")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void releaseKilledThenRun() throws Exception {
        Path home = home("home");
        assertThat(complete(home, "registry", "init")[0]).isZero();
        assertThat(complete(home, "collection", "add", "set", data.toString(), "--threads", "2")[0]).isZero();
        Path o1 = tmp.resolve("o1");
        long[] w = complete(home, "release", "set", "--to", "acme", "-o", o1.toString(), "--threads", "2", "--no-progress");
        assertThat(w[0]).isZero();
        Path o2 = tmp.resolve("o2");
        killed(w[1], "release", () -> holdsAny(o2, ".jpg"), home, "release", "set", "--to", "bob", "-o", o2.toString(), "--threads", "2", "--no-progress");
        boolean finished = !Files.exists(o2.resolve(ReleaseCommand.INCOMPLETE_MARKER));
        long again = complete(home, "release", "set", "--to", "bob", "-o", o2.toString(), "--threads", "2", "--no-progress")[0];
        if (finished) {
            // the kill came after the copy was complete (marker gone): it is not written over
            assertThat(again).as("a finished release is not written over").isEqualTo(ExitCodes.ERROR);
        } else {
            assertThat(again).as("the same command finishes an interrupted release").isZero();
        }
        Path o3 = tmp.resolve("o3");
        assertThat(complete(home, "release", "set", "--to", "bob", "-o", o3.toString(), "--threads", "2", "--no-progress")[0]).isZero();
        assertThat(RedactCommandTest.tree(o2)).as("byte-identical to an uninterrupted release").isEqualTo(RedactCommandTest.tree(o3))
                .hasSize(PHOTOS);
        assertThat(RedactCommandTest.tree(o1)).isNotEqualTo(RedactCommandTest.tree(o3));
        assertThat(complete(home, "release", "set", "--to", "bob", "-o", o2.toString(), "--no-progress")[0])
                .as("a finished release is not written over").isEqualTo(ExitCodes.ERROR);
        try (Registry r = open(home)) {
            assertThat(r.releases("set")).hasSize(2).allMatch(x -> x.images() == PHOTOS);
        }
    }

    @Test
    void collectionAddKilledThenRun() throws Exception {
        Path whole = home("whole");
        assertThat(complete(whole, "registry", "init")[0]).isZero();
        long[] w = complete(whole, "collection", "add", "set", data.toString(), "--threads", "2");
        assertThat(w[0]).isZero();
        Path home = home("home");
        assertThat(complete(home, "registry", "init")[0]).isZero();
        killed(w[1], "collection add", () -> true, home, "collection", "add", "set", data.toString(), "--threads", "2");
        long again = complete(home, "collection", "add", "set", data.toString(), "--threads", "2")[0];
        try (Registry r = open(home); Registry u = open(whole)) {
            if (again != 0) {
                assertThat(r.collections()).as("the killed run had committed: the rerun refuses a second copy").hasSize(1);
            }
            assertThat(rows(r.collectionImages("set", true))).hasSize(PHOTOS).isEqualTo(rows(u.collectionImages("set", true)));
        }
    }

    private static List<String> rows(List<CollectionImage> images) {
        List<String> out = new ArrayList<>();
        for (CollectionImage i : images) {
            StringBuilder b = new StringBuilder(i.path() + " " + i.sha256() + " " + i.pdq());
            for (CollectionFace f : i.faces()) {
                b.append(String.format(Locale.ROOT, " [%d %.2f %.2f %.2f %.2f %s %s]", f.index(), f.x(), f.y(), f.w(), f.h(), f.subjectId(),
                        java.util.Arrays.hashCode(f.template())));
            }
            out.add(b.toString());
        }
        return out;
    }

    private static Registry open(Path home) throws Exception {
        Map<String, String> env = Map.of("LIKENESS_HOME", home.toString());
        RegistryLocation loc = RegistryLocation.resolve(null, env);
        return Registry.open(loc, MasterKey.resolve(loc.defaultKeyFile(), env), "test");
    }
}
