package org.likeness;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's headless chromium driven through chromium-driver (both installed by scripts/test.sh). Tests that need it
 * skip with a message where either is absent, except on CI, which installs them. Nothing is fetched: the driver and
 * the browser are named by path, so Selenium Manager never runs.
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of(System.getProperty("likeness.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("likeness.chromedriver", "/usr/bin/chromedriver"));
    /** A phone's CSS width (iPhone 12 to 15: 390 px), the narrowest the pages are checked at. */
    public static final int PHONE_WIDTH = 390;
    static final int PHONE_HEIGHT = 844;

    /**
     * Without the background-networking flags Chromium keeps trying to reach Google's update, sync and safe-browsing
     * services, which on a closed network floods it with failing connections; QUIC likewise.
     */
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage");

    public final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** A fresh browser (its own empty profile) with a window of this CSS size; skips the test without chromium. */
    public static Browser open(int width, int height) throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            assertThat(System.getenv("CI")).as("CI installs Debian's chromium and chromium-driver (scripts/test.sh)")
                    .isNotEqualTo("true");
            Assumptions.abort("skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is not installed (Debian packages chromium and chromium-driver)");
        }
        Path profile = Files.createTempDirectory("likeness-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        o.addArguments(FLAGS);
        o.addArguments("--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, o);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(60));
        Browser b = new Browser(d, profile);
        b.viewport(width, height);
        return b;
    }

    /** A desktop-sized browser. */
    public static Browser open() throws IOException {
        return open(1280, 1000);
    }

    /**
     * Lays pages out as a phone of this CSS size would (a mobile viewport: a page without a viewport meta tag is laid
     * out 980 px wide and shrunk, as on a real phone).
     */
    public void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The page's horizontal overflow in CSS px (0 when nothing sticks out to the right of the viewport). */
    public long horizontalOverflow() {
        return ((Number) js("return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
                + " - window.innerWidth;")).longValue();
    }

    /** Saves a screenshot of the whole page (not only the viewport) as PNG. */
    public void screenshot(Path png) throws IOException {
        long h = ((Number) js("return Math.ceil(document.documentElement.scrollHeight);")).longValue();
        long w = ((Number) js("return window.innerWidth;")).longValue();
        long vh = ((Number) js("return window.innerHeight;")).longValue();
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", w, "height", Math.min(h, 6000),
                "deviceScaleFactor", 1, "mobile", w < 600));
        byte[] bytes = driver.getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, bytes);
        viewport((int) w, (int) vh);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
