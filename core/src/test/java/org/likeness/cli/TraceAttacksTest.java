package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.image.NativeOpenCv;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Red-team attacks on leak tracing, on lfw-dev people that no other trace test uses: what a leaker does to the copies
 * (rotations with crops, mirrors, grayscale, gamma, borders, collages, re-encoding, screenshots, coalitions) and what must
 * never name anyone (an unreleased photo of the same person, the unmarked original, many near-duplicates of one photo).
 * One registry, one collection of 14 photos released to alice, bob and carol, shared by every test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceAttacksTest {
    @TempDir
    static Path tmp;
    TestRegistry r;
    /** Per registered person: the original, bob's, alice's and carol's copies, and a second (unreleased) photo. */
    final List<Path> originals = new ArrayList<>();
    final List<Path> unreleased = new ArrayList<>();
    final Map<String, List<Path>> copies = new LinkedHashMap<>();

    @BeforeAll
    void release() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        NativeOpenCv.load();
        r = new TestRegistry(tmp.resolve("home"));
        Path coll = tmp.resolve("studio");
        List<Path> people;
        try (Stream<Path> s = Files.list(lfw)) {
            people = s.sorted().skip(600).filter(p -> count(p) >= 2).limit(14).toList();
        }
        for (Path person : people) {
            List<Path> photos;
            try (Stream<Path> s = Files.list(person)) {
                photos = s.sorted().toList();
            }
            Path to = coll.resolve(person.getFileName().toString()).resolve(photos.get(0).getFileName().toString());
            Files.createDirectories(to.getParent());
            Files.copy(photos.get(0), to);
            originals.add(to);
            unreleased.add(photos.get(1));
        }
        r.run("collection", "add", "studio", coll.toString(), "--owner", "Studio");
        for (String who : List.of("alice", "bob", "carol")) {
            r.run("release", "studio", "--to", who, "-o", tmp.resolve("copy-" + who).toString(), "--no-progress");
            List<Path> mine = new ArrayList<>();
            for (Path o : originals) {
                mine.add(tmp.resolve("copy-" + who).resolve(coll.relativize(o)));
            }
            copies.put(who, mine);
        }
    }

    private static long count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] encode(Mat m, String ext, int... params) {
        MatOfByte buf = new MatOfByte();
        assertThat(Imgcodecs.imencode(ext, m, buf, new MatOfInt(params))).as("encode " + ext).isTrue();
        return buf.toArray();
    }

    static Mat read(Path p) {
        return Imgcodecs.imread(p.toString(), Imgcodecs.IMREAD_COLOR);
    }

    static Mat crop(Mat m, double fraction, double fromLeft, double fromTop) {
        int cutX = (int) Math.round(m.cols() * fraction), cutY = (int) Math.round(m.rows() * fraction);
        return m.submat(new Rect((int) Math.round(cutX * fromLeft), (int) Math.round(cutY * fromTop), m.cols() - cutX, m.rows() - cutY)).clone();
    }

    static Mat resize(Mat m, double scale) {
        Mat out = new Mat();
        Imgproc.resize(m, out, new Size(Math.round(m.cols() * scale), Math.round(m.rows() * scale)), 0, 0,
                scale < 1 ? Imgproc.INTER_AREA : Imgproc.INTER_CUBIC);
        return out;
    }

    static Mat rotate(Mat m, int code) {
        Mat out = new Mat();
        Core.rotate(m, out, code);
        return out;
    }

    static Mat mirror(Mat m) {
        Mat out = new Mat();
        Core.flip(m, out, 1);
        return out;
    }

    static Mat gray(Mat m) {
        Mat g = new Mat();
        Imgproc.cvtColor(m, g, Imgproc.COLOR_BGR2GRAY);
        return g;
    }

    /** Gamma 0.85 and a warm shift (+8 red, −6 blue): what a filter app does. */
    static Mat tone(Mat m) {
        Mat lut = new Mat(1, 256, CvType.CV_8UC3);
        byte[] t = new byte[256 * 3];
        for (int i = 0; i < 256; i++) {
            double g = 255 * Math.pow(i / 255.0, 0.85);
            t[3 * i] = (byte) Math.max(0, Math.min(255, Math.round(g - 6)));
            t[3 * i + 1] = (byte) Math.max(0, Math.min(255, Math.round(g)));
            t[3 * i + 2] = (byte) Math.max(0, Math.min(255, Math.round(g + 8)));
        }
        lut.put(0, 0, t);
        Mat out = new Mat();
        Core.LUT(m, lut, out);
        return out;
    }

    static Mat border(Mat m, int px) {
        Mat out = new Mat();
        Core.copyMakeBorder(m, out, px, px, px, px, Core.BORDER_CONSTANT, new Scalar(255, 255, 255));
        return out;
    }

    /** The photo pasted at (x, y) into a canvas holding other photos around it. */
    static Mat collage(Mat photo, List<Mat> others, int x, int y) {
        Mat canvas = new Mat(photo.rows() + y + 60, photo.cols() + x + 200, CvType.CV_8UC3, new Scalar(240, 240, 240));
        int ox = 0;
        for (Mat o : others) {
            Mat small = resize(o, 0.4);
            int w = Math.min(small.cols(), canvas.cols() - ox), h = Math.min(small.rows(), canvas.rows());
            if (w <= 0) {
                break;
            }
            small.submat(new Rect(0, 0, w, h)).copyTo(canvas.submat(new Rect(ox, canvas.rows() - h, w, h)));
            ox += w + 5;
        }
        photo.copyTo(canvas.submat(new Rect(x, y, photo.cols(), photo.rows())));
        return canvas;
    }

    /** Re-rendered at 1.5× inside a window: title bar, side panel, status bar with text. */
    static Mat screenshot(Mat m) {
        Mat big = resize(m, 1.5);
        Mat screen = new Mat(big.rows() + 90, big.cols() + 180, CvType.CV_8UC3, new Scalar(250, 250, 250));
        Imgproc.rectangle(screen, new Point(0, 0), new Point(screen.cols(), 40), new Scalar(60, 60, 60), -1);
        Imgproc.putText(screen, "Photos - IMG_2041.jpg", new Point(10, 28), Imgproc.FONT_HERSHEY_SIMPLEX, 0.7, new Scalar(255, 255, 255), 1);
        Imgproc.rectangle(screen, new Point(0, 40), new Point(160, screen.rows()), new Scalar(225, 225, 225), -1);
        big.copyTo(screen.submat(new Rect(170, 45, big.cols(), big.rows())));
        Imgproc.putText(screen, "1 of 24   100%", new Point(180, screen.rows() - 15), Imgproc.FONT_HERSHEY_SIMPLEX, 0.5, new Scalar(0, 0, 0), 1);
        return screen;
    }

    static Mat average(Mat a, Mat b) {
        Mat out = new Mat();
        Core.addWeighted(a, 0.5, b, 0.5, 0, out);
        return out;
    }

    /** Traces a folder; per suspect photo, the recipient named (or "-") and how it was matched. */
    Map<String, String> trace(Path suspect, List<String> extra, JsonNode[] whole) throws Exception {
        List<String> args = new ArrayList<>(List.of("trace", suspect.toString(), "--json", "--no-progress"));
        args.addAll(extra);
        TestRegistry.Run run = r.exec(args.toArray(String[]::new));
        assertThat(run.code()).as(run.err()).isIn(ExitCodes.OK, ExitCodes.SOME_FAILED, ExitCodes.FOUND);
        JsonNode t = new ObjectMapper().readTree(run.out());
        if (whole != null) {
            whole[0] = t;
        }
        Map<String, String> named = new LinkedHashMap<>();
        for (JsonNode i : t.get("images")) {
            named.put(i.get("path").asText(), (i.get("recipient").isTextual() ? i.get("recipient").asText() : "-") + " ["
                    + i.get("method").asText("unmatched") + (i.get("recipient_z").isNumber() ? String.format(java.util.Locale.ROOT, " z %.1f",
                    i.get("recipient_z").asDouble()) : "") + (i.get("note").isTextual() ? "; " + i.get("note").asText() : "") + "]");
        }
        System.out.println("ATTACK " + suspect.getFileName() + ": " + named + "\nACCUSED " + t.get("summary").get("dataset_evidence"));
        return named;
    }

    private static String who(Map<String, String> named, String path) {
        String v = named.get(path);
        return v == null ? null : v.substring(0, v.indexOf(' '));
    }

    @Test
    void leakerCopiesNameBobAndNoOneElse() throws Exception {
        List<Path> bob = copies.get("bob");
        Path leak = tmp.resolve("leak");
        Files.createDirectories(leak);
        Files.write(leak.resolve("rot90-crop20-q60.jpg"), encode(crop(rotate(read(bob.get(0)), Core.ROTATE_90_CLOCKWISE), 0.2, 0.5, 0.5),
                ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 60));
        Files.write(leak.resolve("mirror-resize06.jpg"), encode(resize(mirror(read(bob.get(1))), 0.6), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 85));
        Files.write(leak.resolve("grayscale.jpg"), encode(gray(read(bob.get(2))), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        Files.write(leak.resolve("gamma-warm.jpg"), encode(tone(read(bob.get(3))), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        Files.write(leak.resolve("border10.jpg"), encode(border(read(bob.get(4)), 10), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        Files.write(leak.resolve("collage.jpg"), encode(collage(read(bob.get(5)), List.of(read(unreleased.get(10)), read(unreleased.get(11)),
                read(unreleased.get(12))), 137, 43), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        Files.write(leak.resolve("resaved.png"), encode(read(bob.get(6)), ".png"));
        Files.write(leak.resolve("resaved.webp"), encode(read(bob.get(7)), ".webp", Imgcodecs.IMWRITE_WEBP_QUALITY, 90));
        Files.write(leak.resolve("screenshot.png"), encode(screenshot(read(bob.get(8))), ".png"));
        Map<String, String> named = trace(leak, List.of(), null);
        List<String> innocents = named.values().stream().filter(v -> v.startsWith("alice") || v.startsWith("carol")).toList();
        assertThat(innocents).as("no innocent named").isEmpty();
        Map<String, String> missed = new LinkedHashMap<>();
        named.forEach((p, v) -> {
            if (!"bob".equals(who(named, p)) && !p.equals(BORDERLINE)) {
                missed.put(p, v);
            }
        });
        assertThat(missed).as("copies bob's mark was not found in").isEmpty();
        // the warm tone curve leaves bob's mark at z 5.2-8.5 depending on the registry's random fingerprint key
        // (docs/BENCHMARKS.md, "Red-team attacks on tracing"): below the bound it must stay unaccused, never someone else
        assertThat(named.get(BORDERLINE)).as(BORDERLINE).matches("bob \\[.*|- \\[.*no candidate reached z.*");
    }

    /** The one leaker copy whose mark sits near the false-accusation bound (z 5.46 here), key by key. */
    private static final String BORDERLINE = "gamma-warm.jpg";

    @Test
    void twoRecipientsAveragedThenRotatedNamesOneOfThem() throws Exception {
        Path leak = tmp.resolve("coalition");
        Files.createDirectories(leak);
        for (int i = 0; i < 6; i++) {
            Mat avg = average(read(copies.get("alice").get(i)), read(copies.get("carol").get(i)));
            Files.write(leak.resolve("avg-rot-" + i + ".jpg"), encode(rotate(avg, Core.ROTATE_90_COUNTERCLOCKWISE), ".jpg",
                    Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        }
        JsonNode[] t = new JsonNode[1];
        Map<String, String> named = trace(leak, List.of(), t);
        assertThat(named.values()).as("bob never named").noneMatch(v -> v.startsWith("bob"));
        for (JsonNode a : t[0].get("summary").get("dataset_evidence")) {
            if (a.get("accused").asBoolean()) {
                assertThat(a.get("recipient").asText()).isIn("alice", "carol");
            }
        }
        assertThat(t[0].get("summary").get("dataset_evidence")).as("a colluder accused over the dataset")
                .anyMatch(a -> a.get("accused").asBoolean());
    }

    @Test
    void nobodyIsNamedForUnreleasedPhotosOrTheOriginalOrManyDuplicates() throws Exception {
        Path innocent = tmp.resolve("innocent");
        Files.createDirectories(innocent);
        for (int i = 0; i < 6; i++) {
            Files.copy(unreleased.get(i), innocent.resolve("same-person-" + i + ".jpg"));
        }
        Files.copy(originals.get(6), innocent.resolve("original-as-is.jpg"));
        Files.write(innocent.resolve("original-rot90.jpg"), encode(rotate(read(originals.get(7)), Core.ROTATE_90_CLOCKWISE), ".jpg",
                Imgcodecs.IMWRITE_JPEG_QUALITY, 85));
        Mat o = read(originals.get(8));
        for (int q = 0; q < 30; q++) {
            Files.write(innocent.resolve(String.format("dup-%02d.jpg", q)), encode(resize(o, 0.7 + 0.01 * q), ".jpg",
                    Imgcodecs.IMWRITE_JPEG_QUALITY, 60 + q));
        }
        JsonNode[] t = new JsonNode[1];
        Map<String, String> named = trace(innocent, List.of(), t);
        assertThat(named.values()).as("nobody named for a photo").allMatch(v -> v.startsWith("-"));
        for (JsonNode a : t[0].get("summary").get("dataset_evidence")) {
            assertThat(a.get("accused").asBoolean()).as(a.toString()).isFalse();
            // three originals: the one as is, the one rotated, and the one behind all 30 near-duplicates, counted once
            assertThat(a.get("photos_tested").asInt()).as("each original counted once: " + a).isEqualTo(3);
        }
    }

    private static Path folder(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    static Mat rotateBy(Mat m, double degrees) {
        Mat rot = Imgproc.getRotationMatrix2D(new Point(m.cols() / 2.0, m.rows() / 2.0), degrees, 1.0);
        Mat out = new Mat();
        Imgproc.warpAffine(m, out, rot, m.size(), Imgproc.INTER_LINEAR, Core.BORDER_REFLECT);
        return out;
    }

    static Mat decode(byte[] b) {
        return Imgcodecs.imdecode(new MatOfByte(b), Imgcodecs.IMREAD_COLOR);
    }

    @Test
    void harderCopiesNeverNameAnInnocent() throws Exception {
        List<Path> bob = copies.get("bob");
        Path leak = folder("harder");
        Files.write(leak.resolve("rot10-crop10-q70.jpg"), encode(crop(rotateBy(read(bob.get(0)), 10), 0.1, 0.3, 0.7), ".jpg",
                Imgcodecs.IMWRITE_JPEG_QUALITY, 70));
        Files.write(leak.resolve("scale025.jpg"), encode(resize(read(bob.get(1)), 0.25), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        Files.write(leak.resolve("crop40.jpg"), encode(crop(read(bob.get(2)), 0.4, 0.5, 0.5), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        Mat chain = decode(encode(decode(encode(read(bob.get(3)), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 50)), ".webp",
                Imgcodecs.IMWRITE_WEBP_QUALITY, 80));
        Files.write(leak.resolve("q50-webp-q70.jpg"), encode(chain, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 70));
        Mat blurred = new Mat();
        Imgproc.GaussianBlur(read(bob.get(4)), blurred, new Size(5, 5), 1.2);
        Files.write(leak.resolve("blur.jpg"), encode(blurred, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 85));
        Mat flipped = new Mat();
        Core.flip(read(bob.get(5)), flipped, 0);
        Files.write(leak.resolve("vflip.jpg"), encode(flipped, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 85));
        Mat ghost = new Mat();
        Core.addWeighted(read(bob.get(6)), 0.6, resize(read(unreleased.get(13)), (double) read(bob.get(6)).cols() / read(unreleased.get(13)).cols()),
                0.4, 0, ghost);
        Files.write(leak.resolve("blend.jpg"), encode(ghost.submat(new Rect(0, 0, Math.min(ghost.cols(), read(bob.get(6)).cols()),
                Math.min(ghost.rows(), read(bob.get(6)).rows()))), ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        Mat three = new Mat();
        Core.addWeighted(average(read(copies.get("alice").get(7)), read(copies.get("carol").get(7))), 2.0 / 3, read(bob.get(7)), 1.0 / 3, 0, three);
        Files.write(leak.resolve("avg3.jpg"), encode(three, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
        // the unmarked original, processed hard: nobody may be named for it
        Files.write(leak.resolve("original-rot7-gamma.jpg"), encode(tone(crop(rotateBy(read(originals.get(8)), 7), 0.15, 0.2, 0.2)), ".jpg",
                Imgcodecs.IMWRITE_JPEG_QUALITY, 75));
        Map<String, String> named = trace(leak, List.of(), null);
        named.forEach((p, v) -> {
            if (!p.equals("avg3.jpg")) {
                assertThat(v).as(p + ": an innocent named").doesNotStartWith("alice").doesNotStartWith("carol");
            }
        });
        assertThat(who(named, "original-rot7-gamma.jpg")).as("the unmarked original").isEqualTo("-");
    }

    @Test
    void manyNearDuplicatesOfOneCopyCountAsOnePhotosEvidence() throws Exception {
        Path suspect = folder("duplicated-leak");
        Mat one = read(copies.get("bob").get(9));
        for (int q = 0; q < 10; q++) {
            Files.write(suspect.resolve(String.format("dup-%02d.jpg", q)), encode(one, ".jpg", Imgcodecs.IMWRITE_JPEG_QUALITY, 80 + q));
        }
        Files.copy(copies.get("bob").get(10), suspect.resolve("other.jpg"));
        Path evidence = tmp.resolve("ev-dup");
        TestRegistry.Run run = r.exec("trace", suspect.toString(), "--evidence", evidence.toString(), "--no-progress");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.FOUND);
        assertThat(run.out()).contains("recipient bob: 11 photo(s) carry its fingerprint").contains("they copy 2 distinct registered photo(s)");
        JsonNode bob = new ObjectMapper().readTree(evidence.resolve("statement.json").toFile()).get("statement").get("accused").get(0);
        assertThat(bob.get("photos_carrying_mark").asInt()).isEqualTo(11);
        assertThat(bob.get("originals_carrying_mark").asInt()).as("what the statement may claim as independent evidence").isEqualTo(2);
        assertThat(bob.get("photos_tested").asInt()).as("the dataset sum counts each original once").isEqualTo(2);
        assertThat(Files.readString(evidence.resolve("evidence.txt"))).contains("11 photo(s) carry its mark (copies of 2 distinct registered photo(s))");
    }

    @Test
    void aTraceThatCouldReadAlmostNothingIsNotClean() throws Exception {
        Path suspect = folder("mostly-broken");
        Files.copy(unreleased.get(13), suspect.resolve("readable.jpg"));
        byte[] whole = Files.readAllBytes(unreleased.get(12));
        for (int i = 0; i < 20; i++) {
            Files.write(suspect.resolve("broken-" + i + ".jpg"), java.util.Arrays.copyOf(whole, 200 + i));
        }
        TestRegistry.Run run = r.exec("trace", suspect.toString(), "--no-progress");
        assertThat(run.err()).contains("likeness: broken-0.jpg: unreadable");
        assertThat(run.code()).as("20 of 21 unreadable, nothing found: " + run.out()).isEqualTo(ExitCodes.SOME_FAILED);

        TestRegistry.Run empty = r.exec("trace", folder("empty").toString(), "--no-progress");
        assertThat(empty.code()).as("nothing to trace is not a clean trace").isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(empty.err()).contains("no files to trace: nothing was checked");

        Path clean = folder("clean");
        Files.copy(unreleased.get(13), clean.resolve("unrelated.jpg"));
        assertThat(r.exec("trace", clean.toString(), "--no-progress").code()).as("every photo traced, none matched").isEqualTo(ExitCodes.OK);

        // unreadable photos next to a found copy: the gate's answer (copies found) wins
        Files.copy(copies.get("bob").get(0), suspect.resolve("copy.jpg"));
        assertThat(r.exec("trace", suspect.toString(), "--no-progress").code()).isEqualTo(ExitCodes.FOUND);
    }

    @Test
    void aScanWithABadLineIsNotClean() throws Exception {
        Path photos = folder("scan-input");
        Files.copy(unreleased.get(13), photos.resolve("a.jpg"));
        Files.copy(unreleased.get(12), photos.resolve("b.jpg"));
        Path scan = tmp.resolve("suspect.jsonl");
        assertThat(r.exec("scan", photos.toString(), "-o", scan.toString(), "--no-progress").code()).isEqualTo(ExitCodes.OK);
        List<String> lines = new ArrayList<>(Files.readAllLines(scan));
        assertThat(r.exec("trace", scan.toString(), "--no-progress").code()).isEqualTo(ExitCodes.OK);
        lines.add(2, "{\"path\": \"c.jpg\", \"pdq\": \"not hex\"");
        Files.write(scan, lines);
        TestRegistry.Run run = r.exec("trace", scan.toString(), "--no-progress");
        assertThat(run.err()).contains("suspect.jsonl: line 3: ");
        assertThat(run.code()).as("a skipped line is an input not checked").isEqualTo(ExitCodes.SOME_FAILED);
    }

    @Test
    void theReportAndTheEvidenceNeverWriteThroughAPlantedLink() throws Exception {
        Path suspect = folder("link-report-suspect");
        Files.copy(copies.get("bob").get(0), suspect.resolve("copy.jpg"));
        Path victim = tmp.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Path report = folder("planted-report");
        Files.createSymbolicLink(report.resolve("report.html"), victim);
        TestRegistry.Run run = r.exec("trace", suspect.toString(), "--report", report.toString(), "--no-progress");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("report.html: is a symbolic link in the output; refusing to write through it");
        assertThat(Files.readString(victim)).isEqualTo("precious");

        Path evidence = folder("planted-evidence");
        Files.createSymbolicLink(evidence.resolve("statement.json"), victim);
        TestRegistry.Run ev = r.exec("trace", suspect.toString(), "--evidence", evidence.toString(), "--no-progress");
        assertThat(ev.code()).as(ev.err()).isEqualTo(ExitCodes.ERROR);
        assertThat(ev.err()).contains("statement.json: is a symbolic link in the output; refusing to write through it");
        assertThat(Files.readString(victim)).isEqualTo("precious");

        Path aFile = tmp.resolve("report-is-a-file");
        Files.writeString(aFile, "x");
        TestRegistry.Run notFolder = r.exec("trace", suspect.toString(), "--report", aFile.toString(), "--no-progress");
        assertThat(notFolder.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(notFolder.err()).contains("report-is-a-file: exists and is not a folder (--report names a folder to write into)")
                .doesNotContain("registered images loaded"); // refused before the trace ran

        TestRegistry.Run inside = r.exec("trace", suspect.toString(), "--report", suspect.resolve("out").toString(), "--no-progress");
        assertThat(inside.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(inside.err()).contains("the report cannot be written inside the dataset it reads");
    }

    @Test
    void oddInputsAreNamedAndTheRestTraced() throws Exception {
        Path suspect = folder("odd");
        Files.createSymbolicLink(suspect.resolve("link.jpg"), copies.get("bob").get(0));
        Files.copy(copies.get("bob").get(1), suspect.resolve(".hidden.jpg"));
        List<Mat> pages = List.of(read(copies.get("bob").get(2)), read(copies.get("bob").get(3)));
        Path tiff = suspect.resolve("pages.tif");
        assertThat(Imgcodecs.imwritemulti(tiff.toString(), pages)).isTrue();
        Path zip = suspect.resolve("inner.zip");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new java.util.zip.ZipEntry("bob4.jpg"));
            z.write(Files.readAllBytes(copies.get("bob").get(4)));
            z.closeEntry();
        }
        TestRegistry.Run run = r.exec("trace", suspect.toString(), "--json", "--no-progress");
        System.out.println("ODD " + run.err());
        JsonNode t = new ObjectMapper().readTree(run.out());
        Map<String, JsonNode> byPath = new LinkedHashMap<>();
        t.get("images").forEach(i -> byPath.put(i.get("path").asText(), i));
        System.out.println("ODD " + byPath);
        assertThat(run.code()).isEqualTo(ExitCodes.FOUND);
        assertThat(byPath.get(".hidden.jpg").get("recipient").asText()).isEqualTo("bob");
        assertThat(run.err()).contains("likeness: link.jpg: unreadable: symbolic link, not followed")
                .contains("likeness: pages.tif: unreadable: multipage TIFF with 2 pages")
                .contains("likeness: inner.zip: unreadable: an archive inside the dataset is not opened");
        TestRegistry.Run ofZip = r.exec("trace", zip.toString(), "--json", "--no-progress");
        assertThat(ofZip.code()).as(ofZip.err()).isEqualTo(ExitCodes.FOUND);
        assertThat(new ObjectMapper().readTree(ofZip.out()).get("summary").get("recipients").fieldNames()).toIterable().containsExactly("bob");
    }

    /** verify's output and exit code for a statement file with this text. */
    private TestRegistry.Run verify(String name, String text, String... extra) throws Exception {
        Path f = tmp.resolve("forged").resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        List<String> args = new ArrayList<>(List.of("verify", f.toString()));
        args.addAll(List.of(extra));
        TestRegistry.Run run = r.exec(args.toArray(String[]::new));
        System.out.println("FORGERY " + name + " -> " + run.code() + "\n" + run.out() + run.err());
        return run;
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        assertThat(at).as(from).isGreaterThanOrEqualTo(0);
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    /** Signs a statement's canonical JSON with {@code key}, as a forger holding another Ed25519 key would. */
    private static String signedBy(JsonNode statement, java.security.KeyPair key) throws Exception {
        java.security.Signature s = java.security.Signature.getInstance("Ed25519");
        s.initSign(key.getPrivate());
        s.update(org.likeness.evidence.CanonicalJson.bytes(statement));
        com.fasterxml.jackson.databind.node.ObjectNode out = new ObjectMapper().createObjectNode();
        out.set("statement", statement);
        com.fasterxml.jackson.databind.node.ObjectNode sig = out.putObject("signature");
        sig.put("algorithm", "Ed25519");
        sig.put("key_id", org.likeness.evidence.HolderKey.id(key.getPublic()));
        sig.put("public_key", java.util.Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));
        sig.put("signed", "canonical JSON of \"statement\" (docs/FORMATS.md)");
        sig.put("value", java.util.Base64.getEncoder().encodeToString(s.sign()));
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last (unordered tests come at Integer.MAX_VALUE / 2): re-releases, removes the collection and truncates the log
    void forgedAndReplayedStatementsFailWithTheCheckThatCatchesThem() throws Exception {
        Path leakA = folder("evidence-a");
        Path leakB = folder("evidence-b");
        for (int i = 0; i < 3; i++) {
            Files.copy(copies.get("bob").get(i), leakA.resolve("bob-" + i + ".jpg"));
            Files.copy(copies.get("carol").get(i + 3), leakB.resolve("carol-" + i + ".jpg"));
        }
        assertThat(r.exec("trace", leakA.toString(), "--evidence", tmp.resolve("ev-a").toString(), "--no-progress").code()).isEqualTo(ExitCodes.FOUND);
        assertThat(r.exec("trace", leakB.toString(), "--evidence", tmp.resolve("ev-b").toString(), "--no-progress").code()).isEqualTo(ExitCodes.FOUND);
        String a = Files.readString(tmp.resolve("ev-a/statement.json"));
        String b = Files.readString(tmp.resolve("ev-b/statement.json"));
        ObjectMapper m = new ObjectMapper();
        assertThat(verify("as-signed.json", a).code()).isEqualTo(ExitCodes.OK);

        assertThat(verify("no-registry.json", a, "--no-registry").out())
                .contains("verified (signature and signer only: the registry's log and releases were not checked)");

        // the same content in another layout is the same statement: whitespace and member order are not signed
        assertThat(verify("compact.json", m.writeValueAsString(m.readTree(a))).code()).isEqualTo(ExitCodes.OK);
        com.fasterxml.jackson.databind.node.ObjectNode reordered = m.createObjectNode();
        reordered.set("signature", m.readTree(a).get("signature"));
        reordered.set("statement", m.readTree(a).get("statement"));
        assertThat(verify("reordered.json", m.writeValueAsString(reordered)).code()).isEqualTo(ExitCodes.OK);

        // one byte of content: inside a number, inside a string
        String stat = m.readTree(a).get("statement").get("accused").get(0).get("dataset_statistic").asText();
        String digit = stat.substring(0, 3) + (stat.charAt(3) == '9' ? '8' : (char) (stat.charAt(3) + 1)) + stat.substring(4);
        TestRegistry.Run number = verify("number.json", replaceOnce(a, stat, digit));
        assertThat(number.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(number.out()).contains("FAILED signature");
        TestRegistry.Run string = verify("string.json", replaceOnce(a, "\"recipient\" : \"bob\"", "\"recipient\" : \"bon\""));
        assertThat(string.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(string.out()).contains("FAILED signature");

        // the signature of another statement
        com.fasterxml.jackson.databind.node.ObjectNode swapped = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(a);
        swapped.set("signature", m.readTree(b).get("signature"));
        TestRegistry.Run swap = verify("swapped.json", m.writeValueAsString(swapped));
        assertThat(swap.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(swap.out()).contains("FAILED signature");

        // carol accused instead of bob, re-signed with the forger's own key: a valid signature, but not the holder's
        java.security.KeyPair forger = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        JsonNode framed = m.readTree(replaceOnce(a, "\"recipient\" : \"bob\"", "\"recipient\" : \"carol\"")).get("statement");
        TestRegistry.Run otherKey = verify("other-key.json", signedBy(framed, forger));
        assertThat(otherKey.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(otherKey.out()).contains("ok     signature").contains("FAILED signer")
                .contains("FAILED release log entry: studio to carol: the cited log entry 5 is in the log but records the release of studio to bob");

        // the statement's file says more than what is signed: a changed key id, an added member, a duplicate member
        // (a reader that keeps the first sees carol, Jackson keeps the last and checks bob), text after the JSON
        TestRegistry.Run keyId = verify("key-id.json", replaceOnce(a, "\"key_id\" : \"" + m.readTree(a).get("signature").get("key_id").asText(),
                "\"key_id\" : \"0000000000000000"));
        assertThat(keyId.code()).as("a key id that is not the signing key's").isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(keyId.out()).contains("FAILED signature fields: key_id 0000000000000000 is not the id of the signing key");
        TestRegistry.Run added = verify("added.json", replaceOnce(a, "\"signature\" : {", "\"note\" : \"bob admitted the leak\",\n  \"signature\" : {"));
        assertThat(added.code()).as("unsigned content beside the statement").isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(added.out()).contains("FAILED layout");
        TestRegistry.Run dup = verify("duplicate.json", replaceOnce(a, "\"recipient\" : \"bob\"", "\"recipient\" : \"carol\", \"recipient\" : \"bob\""));
        assertThat(dup.code()).as("a duplicate member").isNotEqualTo(ExitCodes.OK);
        assertThat(dup.out() + dup.err()).containsIgnoringCase("duplicate field 'recipient'");
        TestRegistry.Run trailing = verify("trailing.json", a + "\n{\"statement\": {\"accused\": [{\"recipient\": \"carol\"}]}}\n");
        assertThat(trailing.code()).as("a second JSON value after the statement").isNotEqualTo(ExitCodes.OK);

        // a later release of the same collection to bob: the old statement's release record no longer matches
        r.run("release", "studio", "--to", "bob", "-o", tmp.resolve("copy-bob-again").toString(), "--no-progress");
        TestRegistry.Run rereleased = verify("after-rerelease.json", a);
        assertThat(rereleased.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(rereleased.out()).contains("FAILED release: studio to bob: differs from the registry's release record")
                .contains("ok     release log entry");

        // the collection removed: the release is gone
        r.run("collection", "remove", "studio");
        TestRegistry.Run removed = verify("after-remove.json", a);
        assertThat(removed.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(removed.out()).contains("FAILED release: studio to bob: no such release in the registry");

        // the log cut back to before the statement's head
        long head = m.readTree(a).get("statement").get("registry_log").get("entries").asLong();
        String url = "jdbc:h2:file:" + tmp.resolve("home/registry/registry").toAbsolutePath();
        String password;
        try (org.likeness.registry.MasterKey k = org.likeness.registry.MasterKey.load(tmp.resolve("home/registry/master.key"))) {
            password = org.likeness.registry.Registry.h2Password(k);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url + ";AUTO_SERVER=TRUE", "", password);
             java.sql.Statement s = c.createStatement()) {
            s.execute("DELETE FROM log_entry WHERE seq >= " + head);
        }
        TestRegistry.Run truncated = verify("after-truncation.json", a);
        assertThat(truncated.code()).as("a statement checked against a cut log is not verified").isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(truncated.out()).contains("FAILED log: registry log broken at entry " + head)
                .contains("FAILED log head: the log has no entry " + head).contains("NOT verified");
    }
}
