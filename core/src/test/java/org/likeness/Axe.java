package org.likeness;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Assumptions;
import org.likeness.model.ModelPackage;
import org.likeness.model.Sha256;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The axe-core accessibility engine (Deque, MPL-2.0), fetched the way the models are: {@code npm pack} of a pinned
 * version, the tarball's and the script's sha256 checked, cached in {@code ~/.cache/likeness/axe-core-VERSION/}.
 * It is injected into the page under test by Selenium and run there against WCAG 2.0 to 2.2 A and AA.
 */
public final class Axe {
    /** Sums computed on 2026-11-29 from {@code npm pack axe-core@4.14.1}; a mismatch is a hard error. */
    static final ModelPackage PACKAGE = new ModelPackage("axe-core", "4.14.1",
            "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745", "MPL-2.0");
    static final String SCRIPT = "package/axe.min.js";
    static final String SCRIPT_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c";
    /** The rule sets checked: WCAG 2.2 AA is the goal (docs/WEB.md). */
    static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa");
    /** Impacts that fail a page; "minor" and "moderate" ones are reported but do not fail it. */
    static final List<String> FAILING = List.of("serious", "critical");

    private static String source;

    private Axe() {
    }

    /** One violation: the rule, its impact, and where (CSS selectors of the nodes). */
    public record Violation(String rule, String impact, String help, List<String> nodes) {
        @Override
        public String toString() {
            return impact + " " + rule + " (" + help + ") at " + nodes;
        }
    }

    /** Runs axe on the browser's current page; returns every violation. */
    @SuppressWarnings("unchecked")
    public static List<Violation> run(Browser b) throws IOException, InterruptedException {
        b.js(script());
        Object r = b.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})
                  .then(res => done(res.violations.map(v => ({rule: v.id, impact: v.impact || '', help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' '))}))))
                  .catch(e => done([{rule: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));""", TAGS);
        List<Violation> out = new ArrayList<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) r) {
            out.add(new Violation((String) v.get("rule"), (String) v.get("impact"), (String) v.get("help"),
                    (List<String>) v.get("nodes")));
        }
        return out;
    }

    /** Fails the test on any serious or critical violation on the current page. */
    public static void assertNoSeriousViolations(Browser b, String page) throws IOException, InterruptedException {
        List<Violation> vs = run(b);
        List<Violation> failing = vs.stream().filter(v -> FAILING.contains(v.impact())).toList();
        assertThat(failing).as("axe-core %s serious or critical violations on %s", PACKAGE.version(), page).isEmpty();
    }

    static synchronized String script() throws IOException, InterruptedException {
        if (source == null) {
            Path cached = Path.of(System.getProperty("user.home"), ".cache", "likeness",
                    "axe-core-" + PACKAGE.version(), "axe.min.js");
            if (!Files.isRegularFile(cached) || !Sha256.of(cached).equals(SCRIPT_SHA256)) {
                fetch(cached);
            }
            source = Files.readString(cached, StandardCharsets.UTF_8);
        }
        return source;
    }

    private static void fetch(Path target) throws IOException, InterruptedException {
        Path tmp = Files.createTempDirectory("axe-pack");
        Process p;
        try {
            p = new ProcessBuilder("npm", "pack", PACKAGE.spec(), "--silent", "--pack-destination", tmp.toString())
                    .directory(tmp.toFile()).redirectErrorStream(true).start();
        } catch (IOException noNpm) {
            skipOrFail("cannot run npm to fetch " + PACKAGE.spec() + ": " + noNpm.getMessage());
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            skipOrFail("npm pack " + PACKAGE.spec() + " failed: " + out.strip());
            return;
        }
        Path tgz = tmp.resolve("axe-core-" + PACKAGE.version() + ".tgz");
        String sum = Sha256.of(tgz);
        assertThat(sum).as("sha256 of npm pack %s", PACKAGE.spec()).isEqualTo(PACKAGE.sha256());
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling("axe.min.js.part");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(tgz))))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile() && e.getName().equals(SCRIPT)) {
                    Files.copy(tar, part, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        assertThat(part).as("%s in %s", SCRIPT, PACKAGE.spec()).exists();
        assertThat(Sha256.of(part)).as("sha256 of %s", SCRIPT).isEqualTo(SCRIPT_SHA256);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(tgz);
        Files.delete(tmp);
    }

    private static void skipOrFail(String why) {
        assertThat(System.getenv("CI")).as("CI reaches the npm registry: " + why).isNotEqualTo("true");
        Assumptions.abort("skipped: " + why + " (the accessibility audit needs axe-core from the npm registry once)");
    }
}
