package org.likeness.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Axe;
import org.likeness.Browser;
import org.likeness.face.Box;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * report.html as a person opens it on a phone (390 px wide) and on a desktop, in Debian's chromium: the verdict time
 * is a readable date, nothing sticks out to the right (the 64-hex log head and long paths wrap), and every bar's
 * count, the longest bar's included, is drawn inside the visible page.
 */
class ReportPageBrowserTest {
    @TempDir
    Path tmp;

    /** A result shaped like a real run's: a nanosecond clock, a SHA-256 log head, a long dataset path, 12 faces. */
    static AuditResult result() {
        Instant at = Instant.parse("2026-11-29T19:45:44.123456789Z");
        List<Finding> faces = new ArrayList<>();
        List<Identity> ids = new ArrayList<>();
        List<AuditResult.Image> images = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String path = "lfw-dev/George_W_Bush/George_W_Bush_" + String.format("%04d", i + 1) + ".jpg";
            AuditStatus s = i < 9 ? AuditStatus.UNKNOWN : AuditStatus.NO_CONSENT;
            faces.add(new Finding(path, new Box(60, 60, 120, 130), i < 9 ? null : "gwb", s, 0.41, i < 9 ? 0 : 1, null, null));
            images.add(new AuditResult.Image(path, "ab".repeat(32), 1));
        }
        ids.add(new Identity(0, 9, null, AuditStatus.UNKNOWN));
        ids.add(new Identity(1, 3, "gwb", AuditStatus.NO_CONSENT));
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("images", 12);
        counts.put("faces", 12);
        counts.put("identities", 2);
        for (AuditStatus s : AuditStatus.ALL) {
            counts.put(s.word(), 0);
        }
        counts.put("unknown", 9);
        counts.put("no_consent", 3);
        counts.put("failed", 0);
        return new AuditResult("/srv/datasets/a-rather-long-folder-name-of-a-scraped-collection/lfw-dev-2026-11-29-part-0001",
                "training", at, Map.of("detector", "ultraface-rfb-640"),
                "9f2c1e4d7a8b3c6e5f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a", 0.3712, counts, faces, ids,
                List.of(), images);
    }

    @Test
    void theVerdictTimeIsADateNotANanosecondTimestamp() {
        String html = ReportPage.html(result(), i -> null, false, "likeness audit x");
        assertThat(html).contains("<time datetime=\"2026-11-29T19:45:44.123456789Z\">29 Nov 2026, 19:45:44 UTC</time>");
        // what a reader sees: the nanoseconds only in the machine-readable attribute
        assertThat(html.replaceAll("datetime=\"[^\"]*\"", "")).doesNotContain("44.123456789");
    }

    @Test
    void atPhoneWidthNothingOverflowsAndEveryCountIsVisible() throws Exception {
        Path page = tmp.resolve("report.html");
        Files.writeString(page, ReportPage.html(result(), i -> null, false, "likeness audit /srv/datasets/x --purpose training"));
        for (int width : new int[] {Browser.PHONE_WIDTH, 1100}) {
            try (Browser b = Browser.open(width, 844)) {
                b.driver.get(page.toUri().toString());
                assertThat(b.js("return window.innerWidth;")).as("viewport").isEqualTo((long) width);
                assertThat(b.horizontalOverflow()).as("horizontal overflow at %d px", width).isLessThanOrEqualTo(0);
                // every count label of every chart lies inside its svg and inside the viewport
                @SuppressWarnings("unchecked")
                List<String> hidden = (List<String>) b.js("""
                        const out = [];
                        for (const svg of document.querySelectorAll('figure svg')) {
                          const box = svg.getBoundingClientRect();
                          for (const t of svg.querySelectorAll('text')) {
                            const r = t.getBoundingClientRect();
                            if (r.width === 0 || r.right > box.right + 0.5 || r.right > window.innerWidth)
                              out.push(svg.getAttribute('aria-label') + ': ' + t.textContent);
                          }
                        }
                        return out;""");
                assertThat(hidden).as("counts drawn outside the page at %d px", width).isEmpty();
                assertThat(((Number) b.js("return document.querySelectorAll('figure svg text').length;")).intValue())
                        .isGreaterThanOrEqualTo(6);
                Axe.assertNoSeriousViolations(b, "report.html at " + width + " px");
                b.screenshot(Path.of("target/screenshots/report-" + width + ".png")); // looked at by a person, not asserted
            }
        }
    }
}
