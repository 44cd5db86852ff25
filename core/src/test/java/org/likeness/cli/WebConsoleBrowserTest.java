package org.likeness.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.likeness.Axe;
import org.likeness.Browser;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.account.Accounts;
import org.likeness.account.Role;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Organisations;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.app.RegistrySession;
import org.likeness.face.FacePipeline;
import org.likeness.jobs.JobEngine;
import org.likeness.model.ModelStore;
import org.likeness.serve.Faces;
import org.likeness.serve.JobRoutes;
import org.likeness.serve.LikenessServer;
import org.likeness.serve.ServerConfig;
import org.likeness.web.FacePicker;
import org.likeness.web.WebRoutes;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console and the portal in Debian's chromium against a real {@code likeness serve} on loopback (H2 registry in a
 * temporary folder, the default models, lfw-dev photos): sign in, enrol with the face picker, grant and revoke
 * consent, invite the person to the portal, revoke there, and see the revocation and its impact in the holder's
 * console; audits, releases and traces through the job routes; keyboard use; axe-core on every main page; screenshots
 * of the main pages (target/screenshots, or docs/screenshots with -Dlikeness.screenshots).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebConsoleBrowserTest {
    /** An lfw-dev photo where the detector finds three faces; the person is the one in the middle (LFW centres them). */
    static final String GROUP_PHOTO = "lfw-dev/images/Abdel_Nasser_Assidi/Abdel_Nasser_Assidi_0001.jpg";
    /** Another photo of the same person, registered in a collection so that the impact of a revocation is not empty. */
    static final String SAME_PERSON = "lfw-dev/images/Abdel_Nasser_Assidi/Abdel_Nasser_Assidi_0002.jpg";
    static final List<String> OTHERS = List.of("lfw-dev/images/Aaron_Sorkin/Aaron_Sorkin_0001.jpg",
            "lfw-dev/images/AJ_Cook/AJ_Cook_0001.jpg");
    static final String HOLDER_PASSWORD = "holder-password-for-the-browser-test";
    static final String ADMIN_PASSWORD = "admin-password-for-the-browser-test";
    /** Where the screenshots go: target/screenshots; docs/screenshots with -Dlikeness.screenshots=../docs/screenshots. */
    static final Path SCREENSHOTS = Path.of(System.getProperty("likeness.screenshots", "target/screenshots"));
    static final Duration WAIT = Duration.ofSeconds(60);

    Path home;
    Registry registry;
    MasterKey key;
    LikenessServer server;
    String base;
    Map<String, String> env;

    @BeforeAll
    void start() throws Exception {
        Path photo = SharedData.require(GROUP_PHOTO);
        Models.store();
        home = Files.createTempDirectory("likeness-web");
        env = Map.of("LIKENESS_HOME", home.toString());
        RegistryLocation loc = RegistryLocation.resolve(null, env);
        key = MasterKey.create(loc.defaultKeyFile());
        Registry.init(loc, key, "test");
        registry = Registry.open(loc, key, ServeCommand.ACTOR);
        Accounts accounts = new Accounts(registry);
        accounts.create("test", "holder", HOLDER_PASSWORD.toCharArray(), Role.HOLDER, Organisations.DEFAULT, null);
        accounts.create("test", "admin", ADMIN_PASSWORD.toCharArray(), Role.ADMIN, Organisations.DEFAULT, null);
        ServerConfig config = new ServerConfig("127.0.0.1", 0, 64L * 1024 * 1024, home.resolve("uploads"), 2000);
        // the same route groups as `likeness serve`: the console's, and the jobs' (audits, traces, collections)
        JobRoutes jobs = new JobRoutes(new RegistrySession(null, env),
                () -> FacePipeline.open(ModelStore.fromEnvironment(), FacePipeline.Options.defaults(1)),
                new JobEngine.Config(1, 4), home.resolve("jobs"));
        server = new LikenessServer(config, registry, new Faces(PipelineFaceSource::openDefault),
                List.of(new WebRoutes(FacePicker.defaults()), jobs), new PrintStream(new ByteArrayOutputStream())).start();
        base = "http://127.0.0.1:" + server.port();
        assertThat(photo).exists();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (registry != null) {
            registry.close();
        }
        if (key != null) {
            key.close();
        }
        if (home != null) {
            try (var s = Files.walk(home)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Opens a page and waits until its script has loaded the data (or reported an error). */
    void open(Browser b, String path) {
        b.driver.get(base + path);
        new WebDriverWait(b.driver, WAIT).until(d -> "true".equals(b.js("return document.body.dataset.ready || null;")));
    }

    void signIn(Browser b, String name, String password) {
        b.driver.get(base + "/login");
        new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.id("login-name")));
        b.driver.findElement(By.id("login-name")).sendKeys(name);
        b.driver.findElement(By.id("login-password")).sendKeys(password);
        b.driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
        new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
        new WebDriverWait(b.driver, WAIT).until(d -> "true".equals(b.js("return document.body.dataset.ready || null;")));
    }

    String status(Browser b) {
        return b.driver.findElement(By.id("status")).getText();
    }

    @Test
    @Order(1)
    void aWrongPasswordIsRefusedWithAMessageAndTheRightOneOpensTheDashboard() throws Exception {
        try (Browser b = Browser.open()) {
            b.driver.get(base + "/login");
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.id("login-name")));
            Axe.assertNoSeriousViolations(b, "/login");
            b.screenshot(SCREENSHOTS.resolve("login.png"));
            b.driver.findElement(By.id("login-name")).sendKeys("holder");
            b.driver.findElement(By.id("login-password")).sendKeys("wrong password");
            b.driver.findElement(By.cssSelector("#login-form button[type=submit]")).click();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Sign-in failed"));
            assertThat(b.driver.getCurrentUrl()).endsWith("/login");
            signIn(b, "holder", HOLDER_PASSWORD);
            assertThat(b.driver.getCurrentUrl()).endsWith("/console");
            assertThat(b.driver.findElement(By.id("who")).getText()).contains("holder");
            assertThat(b.driver.findElement(By.id("log-head")).getText()).matches("[0-9a-f]{64}");
            b.driver.findElement(By.id("verify")).click();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("verify-result"), "The log verifies"));
        }
    }

    @Test
    @Order(2)
    void enrolFromAGroupPhotoWithTheFacePickerThenGrantAndRevokeConsent() throws Exception {
        try (Browser b = Browser.open()) {
            signIn(b, "holder", HOLDER_PASSWORD);
            open(b, "/console/subjects");
            assertThat(b.driver.findElement(By.id("subjects-empty")).isDisplayed()).isTrue();
            b.driver.findElement(By.id("enrol-id")).sendKeys("abdel");
            b.driver.findElement(By.id("enrol-name")).sendKeys("Abdel Nasser Assidi");
            b.driver.findElement(By.id("enrol-photos")).sendKeys(SharedData.require(GROUP_PHOTO).toString());
            // the picker shows one button per face found (three here), placed over the photo
            List<WebElement> faces = new WebDriverWait(b.driver, WAIT)
                    .until(d -> {
                        List<WebElement> f = d.findElements(By.cssSelector("#picker button.face"));
                        return f.size() >= 2 ? f : null;
                    });
            assertThat(faces).hasSize(3);
            assertThat(faces.get(0).getAttribute("aria-label")).startsWith("Face 1");
            // the person is the face nearest the photo's centre; chosen by keyboard
            WebElement img = b.driver.findElement(By.cssSelector("#picker img"));
            double cx = img.getRect().x + img.getRect().width / 2.0, cy = img.getRect().y + img.getRect().height / 2.0;
            WebElement middle = faces.stream().min(Comparator.comparingDouble(f -> Math.hypot(
                    f.getRect().x + f.getRect().width / 2.0 - cx, f.getRect().y + f.getRect().height / 2.0 - cy))).orElseThrow();
            middle.sendKeys(" ");
            assertThat(middle.getAttribute("aria-pressed")).isEqualTo("true");
            b.screenshot(SCREENSHOTS.resolve("enrol-face-picker.png"));
            b.driver.findElement(By.cssSelector("#enrol-form button[type=submit]")).click();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.urlContains("/console/subjects/abdel"));
            new WebDriverWait(b.driver, WAIT).until(d -> "true".equals(b.js("return document.body.dataset.ready || null;")));
            assertThat(registry.subject("abdel")).isNotNull();
            assertThat(registry.enrolments("abdel")).hasSize(1);

            // the same person's other photo, registered as a collection: the impact of a revocation names it
            registerCollection("lfw-sample", SAME_PERSON, OTHERS.get(0), OTHERS.get(1));
            b.driver.navigate().refresh();
            new WebDriverWait(b.driver, WAIT).until(d -> "true".equals(b.js("return document.body.dataset.ready || null;")));
            assertThat(b.driver.findElement(By.id("impact")).getText()).contains("lfw-sample");

            b.driver.findElement(By.id("grant-basis")).sendKeys("GDPR Art. 9(2)(a) explicit consent");
            new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("grant-purpose"))).selectByValue("training");
            b.driver.findElement(By.cssSelector("#grant-form button[type=submit]")).click();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#consents tbody"), "active"));
            assertThat(registry.consents("abdel")).hasSize(1);
            Axe.assertNoSeriousViolations(b, "/console/subjects/abdel");
            b.screenshot(SCREENSHOTS.resolve("subject.png"));

            b.driver.findElement(By.cssSelector("#consents tbody button.secondary")).click(); // Revoke
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("impact-after"), "revoked"));
            assertThat(b.driver.findElement(By.id("impact-after")).getText()).contains("lfw-sample");
            assertThat(b.driver.findElement(By.cssSelector("#consents tbody")).getText()).contains("revoked");
            assertThat(registry.consents("abdel").get(0).revokedAt()).isNotNull();
        }
    }

    void registerCollection(String name, String... photos) throws Exception {
        Path dir = Files.createDirectories(home.resolve("datasets").resolve(name));
        for (String p : photos) {
            Path src = SharedData.require(p);
            Files.copy(src, dir.resolve(src.getFileName()));
        }
        CommandLine add = Failures.install(new CommandLine(new CollectionCommand(env)));
        add.setOut(new PrintWriter(PrintWriter.nullWriter()));
        add.setErr(new PrintWriter(PrintWriter.nullWriter()));
        assertThat(add.execute("add", name, dir.toString(), "--owner", "test")).isEqualTo(ExitCodes.OK);
    }

    @Test
    @Order(3)
    void theInvitedPersonSeesTheirConsentsRevokesOneAndTheHolderSeesItWithItsImpact() throws Exception {
        String link;
        try (Browser holder = Browser.open()) {
            signIn(holder, "holder", HOLDER_PASSWORD);
            open(holder, "/console/subjects/abdel");
            holder.driver.findElement(By.id("grant-basis")).sendKeys("consent form 2026-11");
            new org.openqa.selenium.support.ui.Select(holder.driver.findElement(By.id("grant-purpose"))).selectByValue("evaluation");
            holder.driver.findElement(By.cssSelector("#grant-form button[type=submit]")).click();
            new WebDriverWait(holder.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#consents tbody"), "evaluation"));
            holder.driver.findElement(By.id("invite")).click();
            link = new WebDriverWait(holder.driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-url"))).getText();
        }
        assertThat(link).startsWith(base + "/invite/");
        try (Browser person = Browser.open(Browser.PHONE_WIDTH, 844)) {
            person.driver.get(link);
            new WebDriverWait(person.driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#invite-form button")));
            Axe.assertNoSeriousViolations(person, "/invite");
            person.driver.findElement(By.cssSelector("#invite-form button")).click();
            new WebDriverWait(person.driver, WAIT).until(ExpectedConditions.urlContains("/portal"));
            new WebDriverWait(person.driver, WAIT).until(d -> "true".equals(person.js("return document.body.dataset.ready || null;")));
            WebElement evaluation = person.driver.findElement(By.cssSelector("#purposes li[data-purpose=evaluation]"));
            assertThat(evaluation.getText()).contains("active");
            assertThat(person.driver.findElement(By.id("appears")).getText()).contains("lfw-sample");
            assertThat(person.horizontalOverflow()).as("portal overflow at phone width").isLessThanOrEqualTo(0);
            Axe.assertNoSeriousViolations(person, "/portal");
            person.screenshot(SCREENSHOTS.resolve("portal-phone.png"));

            evaluation.findElement(By.tagName("button")).click();
            new WebDriverWait(person.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("revoke-result"), "lfw-sample"));
            assertThat(person.driver.findElement(By.cssSelector("#purposes li[data-purpose=evaluation]")).getText()).contains("revoked");

            // the link was single-use: opening it again is refused
            person.driver.manage().deleteAllCookies();
            person.driver.get(link);
            new WebDriverWait(person.driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#invite-form button"))).click();
            new WebDriverWait(person.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "not valid"));
            assertThat(person.driver.getCurrentUrl()).contains("/invite/");

            // in Traditional Chinese
            person.driver.get(base + "/invite/x?lang=zh-Hant");
            new WebDriverWait(person.driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#invite-form button")));
            assertThat(person.driver.findElement(By.tagName("h1")).getText()).isEqualTo("您的邀請");
        }
        assertThat(registry.consents("abdel")).filteredOn(c -> c.purpose().word().equals("evaluation"))
                .allMatch(c -> c.revokedAt() != null);
        try (Browser holder = Browser.open()) {
            signIn(holder, "holder", HOLDER_PASSWORD);
            open(holder, "/console/subjects/abdel");
            String consents = holder.driver.findElement(By.cssSelector("#consents tbody")).getText();
            assertThat(consents).contains("evaluation").doesNotContain("active");
            assertThat(holder.driver.findElement(By.id("impact")).getText()).contains("lfw-sample");
            open(holder, "/console");
            assertThat(holder.driver.findElement(By.id("consent-states")).getText()).contains("revoked");
            assertThat(holder.driver.findElement(By.cssSelector("#consent-states div:last-child dd")).getText()).isEqualTo("2");
        }
    }

    @Test
    @Order(4)
    void everyMainPageHasNoSeriousAccessibilityViolationAndFitsAPhone() throws Exception {
        try (Browser b = Browser.open()) {
            signIn(b, "holder", HOLDER_PASSWORD);
            for (String[] page : new String[][] {{"/console", "dashboard"}, {"/console/subjects", "subjects"},
                    {"/console/collections", "collections"}, {"/console/audits", "audits"}}) {
                open(b, page[0]);
                assertThat(b.driver.findElement(By.id("status")).getText()).as(page[0]).isEmpty();
                Axe.assertNoSeriousViolations(b, page[0]);
                b.screenshot(SCREENSHOTS.resolve(page[1] + ".png"));
                b.viewport(Browser.PHONE_WIDTH, 844);
                assertThat(b.horizontalOverflow()).as("%s overflow at phone width", page[0]).isLessThanOrEqualTo(0);
                b.viewport(1280, 1000);
            }
        }
        try (Browser b = Browser.open()) {
            signIn(b, "admin", ADMIN_PASSWORD);
            open(b, "/console/admin");
            b.driver.findElement(By.id("account-name")).sendKeys("auditor1");
            new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("account-role"))).selectByValue("auditor");
            b.driver.findElement(By.id("account-password")).sendKeys("auditor-password-1234");
            b.driver.findElement(By.cssSelector("#account-form button")).click();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("accounts"), "auditor1"));
            b.driver.findElement(By.id("key-label")).sendKeys("nightly audit");
            b.driver.findElement(By.cssSelector("#key-form button")).click();
            String secret = new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("key-secret-value"))).getText();
            assertThat(secret).startsWith("lk_");
            b.driver.findElement(By.cssSelector("#keys button")).click(); // revoke
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("keys"), "revoked"));
            for (String[] page : new String[][] {{"/console/log", "log"}, {"/console/admin", "admin"}}) {
                open(b, page[0]);
                assertThat(b.driver.findElement(By.id("status")).getText()).as(page[0]).isEmpty();
                Axe.assertNoSeriousViolations(b, page[0]);
                b.screenshot(SCREENSHOTS.resolve(page[1] + ".png"));
            }
            assertThat(b.driver.findElement(By.id("keys")).getText()).contains("nightly audit");
        }
        try (Browser b = Browser.open()) {
            signIn(b, "auditor1", "auditor-password-1234");
            open(b, "/console/log");
            // the log pages from its first entry on: the portal's acceptance and revocation are later pages
            for (int i = 0; i < 20 && !b.driver.findElement(By.cssSelector("#log tbody")).getText().contains("invitation.accepted")
                    && b.driver.findElement(By.id("log-more")).isDisplayed(); i++) {
                int rows = b.driver.findElements(By.cssSelector("#log tbody tr")).size();
                b.driver.findElement(By.id("log-more")).click();
                new WebDriverWait(b.driver, WAIT).until(d -> d.findElements(By.cssSelector("#log tbody tr")).size() > rows);
            }
            assertThat(b.driver.findElement(By.cssSelector("#log tbody")).getText()).contains("invitation.accepted").contains("consent.revoke");
            // the invitations' entries and the portal account are part of what verifies
            b.driver.findElement(By.id("verify")).click();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("verify-result"), "The log verifies"));
            assertThat(b.driver.findElement(By.id("status")).getText()).isEmpty();
        }
    }

    @Test
    @Order(5)
    void aPersonErasesThemselvesFromThePortal() throws Exception {
        String link;
        try (Browser holder = Browser.open()) {
            signIn(holder, "holder", HOLDER_PASSWORD);
            open(holder, "/console/subjects");
            holder.driver.findElement(By.id("enrol-id")).sendKeys("aaron");
            holder.driver.findElement(By.id("enrol-photos")).sendKeys(SharedData.require(OTHERS.get(0)).toString());
            holder.driver.findElement(By.cssSelector("#enrol-form button[type=submit]")).click();
            new WebDriverWait(holder.driver, WAIT).until(ExpectedConditions.urlContains("/console/subjects/aaron"));
            new WebDriverWait(holder.driver, WAIT).until(d -> "true".equals(holder.js("return document.body.dataset.ready || null;")));
            holder.driver.findElement(By.id("invite")).click();
            link = new WebDriverWait(holder.driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("invite-url"))).getText();
        }
        try (Browser person = Browser.open()) {
            person.driver.get(link + "?lang=zh-Hant");
            new WebDriverWait(person.driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector("#invite-form button"))).click();
            new WebDriverWait(person.driver, WAIT).until(ExpectedConditions.urlContains("/portal"));
            new WebDriverWait(person.driver, WAIT).until(d -> "true".equals(person.js("return document.body.dataset.ready || null;")));
            assertThat(person.driver.findElement(By.tagName("h1")).getText()).isEqualTo("您的臉部資料");
            Axe.assertNoSeriousViolations(person, "/portal (zh-Hant)");
            person.screenshot(SCREENSHOTS.resolve("portal-zh-Hant.png"));
            // the erase button needs the confirmation ticked: the browser refuses the form without it
            person.driver.findElement(By.cssSelector("#erase-form button")).click();
            assertThat(registry.subject("aaron").erasedAt()).isNull();
            person.driver.findElement(By.id("erase-confirm")).sendKeys(" ");
            person.driver.findElement(By.cssSelector("#erase-form button")).click();
            new WebDriverWait(person.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("erase-result"), "已刪除"));
        }
        assertThat(registry.subject("aaron").erasedAt()).isNotNull();
    }

    @Test
    @Order(6)
    void anAuditOfAnUploadedZipShowsItsProgressReaches100AndOpensTheReport() throws Exception {
        Path zip = home.resolve("lfw-upload.zip");
        List<String> photos = new java.util.ArrayList<>(List.of(SAME_PERSON));
        photos.addAll(OTHERS);
        try (var s = Files.list(SharedData.require("lfw-dev/images/Aaron_Peirsol"))) {
            s.sorted().limit(4).forEach(p -> photos.add("lfw-dev/images/Aaron_Peirsol/" + p.getFileName()));
        }
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (String p : photos) {
                out.putNextEntry(new java.util.zip.ZipEntry(Path.of(p).getFileName().toString()));
                Files.copy(SharedData.require(p), out);
                out.closeEntry();
            }
        }
        try (Browser b = Browser.open()) {
            signIn(b, "holder", HOLDER_PASSWORD);
            open(b, "/console/audits");
            assertThat(b.driver.findElement(By.id("jobs-empty")).isDisplayed()).isTrue();
            b.driver.findElement(By.id("audit-file")).sendKeys(zip.toString());
            new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("audit-purpose"))).selectByValue("training");
            // every value the progress bar takes, in order
            b.js("window.seen = []; const bar = document.getElementById('job-progress');"
                    + "new MutationObserver(() => window.seen.push(bar.value)).observe(bar, {attributes: true});");
            b.driver.findElement(By.cssSelector("#audit-form button[type=submit]")).click();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("job-progress")));
            new WebDriverWait(b.driver, Duration.ofMinutes(3)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-state"), "finished"));
            assertThat(b.driver.findElement(By.id("job-progress")).getAttribute("value")).isEqualTo("100");
            @SuppressWarnings("unchecked")
            List<Number> seen = (List<Number>) b.js("return window.seen;");
            assertThat(seen).isNotEmpty().isSortedAccordingTo(Comparator.comparingDouble(Number::doubleValue));
            assertThat(seen.get(seen.size() - 1).intValue()).isEqualTo(100);
            // an archive's size is known only once read: the count of files read, then 100 %
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-state"),
                    "(" + photos.size() + " file(s) read)"));
            assertThat(b.driver.findElement(By.id("job-state")).getText()).contains("100 %");
            // Abdel revoked his consent: his face, and everyone unregistered, may not be used
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-verdict"), "may not be used"));
            Axe.assertNoSeriousViolations(b, "/console/audits");
            b.screenshot(SCREENSHOTS.resolve("audit-progress.png"));
            WebElement report = b.driver.findElement(By.id("job-report"));
            assertThat(report.isDisplayed()).isTrue();
            report.click();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".verdict")));
            assertThat(b.driver.findElement(By.cssSelector(".verdict")).getText()).contains("may not be used for training");
            // the report's own style applies (its banner is red), as when it is opened from disk
            assertThat(b.js("return getComputedStyle(document.querySelector('.verdict')).backgroundColor;")).isEqualTo("rgb(198, 40, 40)");
            // and its blurred thumbnails (data URIs) are drawn
            assertThat((Boolean) b.js("const i = document.querySelector('.id img'); return i !== null && i.complete && i.naturalWidth > 0;")).isTrue();
            b.screenshot(SCREENSHOTS.resolve("audit-report.png"));
        }
    }

    @Test
    @Order(7)
    void aReleasedCopyIsDownloadedAndTracedBackToItsCollection() throws Exception {
        Path copy = home.resolve("acme-copy.zip");
        try (Browser b = Browser.open()) {
            signIn(b, "holder", HOLDER_PASSWORD);
            open(b, "/console/collections");
            assertThat(b.driver.findElement(By.cssSelector("#collections tbody")).getText()).contains("lfw-sample");
            // the collection's Rescan button: a job followed in the job panel, every photo found unchanged
            b.driver.findElement(By.cssSelector("#collections button[aria-label='Rescan collection lfw-sample']")).click();
            new WebDriverWait(b.driver, Duration.ofMinutes(3)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-verdict"),
                    "Collection lfw-sample rescanned: 0 added, 0 removed, 0 changed, 3 unchanged, 0 not readable."));
            new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("release-collection"))).selectByValue("lfw-sample");
            b.driver.findElement(By.id("release-recipient")).sendKeys("acme-labs");
            b.driver.findElement(By.cssSelector("#release-form button")).click();
            new WebDriverWait(b.driver, Duration.ofMinutes(3)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-verdict"), "acme-labs"));
            Axe.assertNoSeriousViolations(b, "/console/collections");
            b.screenshot(SCREENSHOTS.resolve("collections.png"));
            String href = b.driver.findElement(By.id("job-report")).getAttribute("href");
            // the download link, fetched with the browser's session
            var session = b.driver.manage().getCookieNamed(LikenessServer.SESSION_COOKIE);
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(href))
                    .header("Cookie", session.getName() + "=" + session.getValue()).build(), java.net.http.HttpResponse.BodyHandlers.ofFile(copy));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Files.size(copy)).isGreaterThan(10_000);

            open(b, "/console/traces");
            b.driver.findElement(By.id("trace-file")).sendKeys(copy.toString());
            b.driver.findElement(By.cssSelector("#trace-form button")).click();
            new WebDriverWait(b.driver, Duration.ofMinutes(3)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-state"), "finished"));
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-verdict"), "lfw-sample"));
            Axe.assertNoSeriousViolations(b, "/console/traces");
            b.screenshot(SCREENSHOTS.resolve("trace.png"));
            // every photo of the copy found in its collection, and the recipient named by the fingerprint
            assertThat(b.driver.findElement(By.id("trace-collections")).getText()).isEqualTo("lfw-sample: 3");
            assertThat(b.driver.findElement(By.id("trace-recipients")).getText()).isEqualTo("acme-labs: 3");
        }
    }

    @Test
    @Order(8)
    void signInAndReachAPageByKeyboardAloneWithTheFocusAlwaysVisible() throws Exception {
        try (Browser b = Browser.open()) {
            b.driver.get(base + "/login");
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.id("login-name")));
            var keys = new org.openqa.selenium.interactions.Actions(b.driver);
            keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
            // the first stop is the skip link, shown on the page while it has the focus, with a focus outline
            assertThat(b.js("return document.activeElement.className;")).isEqualTo("skip");
            assertThat(((Number) b.js("return document.activeElement.getBoundingClientRect().left;")).doubleValue()).isGreaterThanOrEqualTo(0);
            assertThat(b.js("return getComputedStyle(document.activeElement).outlineStyle;")).isEqualTo("solid");
            keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
            keys.sendKeys(org.openqa.selenium.Keys.TAB).perform(); // from the main content: the language choice or the name
            for (int i = 0; i < 5 && !"login-name".equals(b.js("return document.activeElement.id;")); i++) {
                keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
            }
            assertThat(b.js("return document.activeElement.id;")).isEqualTo("login-name");
            assertThat(b.js("return getComputedStyle(document.activeElement).outlineStyle;")).isEqualTo("solid");
            keys.sendKeys("holder").sendKeys(org.openqa.selenium.Keys.TAB).sendKeys(HOLDER_PASSWORD)
                    .sendKeys(org.openqa.selenium.Keys.ENTER).perform();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.urlContains("/console"));
            new WebDriverWait(b.driver, WAIT).until(d -> "true".equals(b.js("return document.body.dataset.ready || null;")));
            // Tab to the Subjects link and follow it with Enter
            for (int i = 0; i < 10 && !"/console/subjects".equals(b.js("return document.activeElement.getAttribute('href');")); i++) {
                keys.sendKeys(org.openqa.selenium.Keys.TAB).perform();
            }
            keys.sendKeys(org.openqa.selenium.Keys.ENTER).perform();
            new WebDriverWait(b.driver, WAIT).until(ExpectedConditions.urlContains("/console/subjects"));
        }
    }
}
