package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.image.NativeOpenCv;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two collections from lfw-dev; one is released to three recipients; one recipient's copy leaks through a marketplace
 * (JPEG 50–90, resize 0.5–1.0, crop ≤ 5 %, renamed, shuffled, mixed with unrelated photos). The trace must name that
 * collection and that recipient, and nothing else.
 */
class TraceCommandTest {
    @TempDir
    Path tmp;

    private static List<Path> people(Path lfw, int from, int count) throws Exception {
        try (Stream<Path> s = Files.list(lfw)) {
            return s.sorted().skip(from).limit(count).toList();
        }
    }

    private Path collection(String name, List<Path> people) throws Exception {
        Path dir = tmp.resolve(name);
        for (Path person : people) {
            try (Stream<Path> s = Files.list(person)) {
                for (Path p : s.sorted().limit(2).toList()) {
                    Path to = dir.resolve(person.getFileName().toString()).resolve(p.getFileName().toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to);
                }
            }
        }
        return dir;
    }

    /** What a marketplace seller does to a photo: crop up to 5 %, resize to 0.5–1.0, re-encode at JPEG 50–90. */
    private static byte[] marketplace(Path photo, Random random) {
        Mat img = Imgcodecs.imread(photo.toString());
        double cut = random.nextDouble() * 0.05;
        int dx = (int) Math.round(img.cols() * cut * random.nextDouble());
        int dy = (int) Math.round(img.rows() * cut * random.nextDouble());
        Mat cropped = new Mat(img, new Rect(dx, dy, (int) Math.round(img.cols() * (1 - cut)), (int) Math.round(img.rows() * (1 - cut))));
        double scale = 0.5 + 0.5 * random.nextDouble();
        Mat resized = new Mat();
        Imgproc.resize(cropped, resized, new Size(Math.round(cropped.cols() * scale), Math.round(cropped.rows() * scale)), 0, 0, Imgproc.INTER_AREA);
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(".jpg", resized, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 50 + random.nextInt(41)));
        return buf.toArray();
    }

    @Test
    void namesTheLeakingRecipientAndNoOther() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        NativeOpenCv.load();
        TestRegistry r = new TestRegistry(tmp.resolve("home"));
        Path a = collection("studio-a", people(lfw, 100, 12));
        Path b = collection("studio-b", people(lfw, 200, 6));
        r.run("collection", "add", "studio-a", a.toString(), "--owner", "Studio A");
        r.run("collection", "add", "studio-b", b.toString(), "--owner", "Studio B");
        for (String who : List.of("alice", "bob", "carol")) {
            assertThat(r.run("release", "studio-a", "--to", who, "-o", tmp.resolve("copy-" + who).toString(), "--no-progress"))
                    .contains("released studio-a to " + who);
        }
        r.run("release", "studio-b", "--to", "dave", "-o", tmp.resolve("copy-dave").toString(), "--no-progress");

        Random random = new Random(20261126L);
        List<byte[]> leaked = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tmp.resolve("copy-bob"))) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                leaked.add(marketplace(p, random));
            }
        }
        int copies = leaked.size();
        for (Path person : people(lfw, 400, 6)) {
            try (Stream<Path> s = Files.list(person)) {
                leaked.add(Files.readAllBytes(s.sorted().findFirst().orElseThrow()));
            }
        }
        Collections.shuffle(leaked, random);
        Path suspect = tmp.resolve("marketplace");
        Files.createDirectories(suspect);
        for (int i = 0; i < leaked.size(); i++) {
            Files.write(suspect.resolve(String.format("face_%04d.jpg", i)), leaked.get(i));
        }

        byte[] whole = Files.readAllBytes(suspect.resolve("face_0000.jpg"));
        Files.write(suspect.resolve("broken.jpg"), java.util.Arrays.copyOf(whole, whole.length / 2));
        TestRegistry.Run run = r.exec("trace", suspect.toString(), "--json", "--report", tmp.resolve("trace").toString(), "--no-progress");
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.FOUND);
        JsonNode t = new ObjectMapper().readTree(run.out());
        JsonNode summary = t.get("summary");
        assertThat(summary.get("images").asInt()).isEqualTo(leaked.size() + 1);
        assertThat(summary.get("failed").asInt()).isEqualTo(1);
        assertThat(run.err()).contains("likeness: broken.jpg: unreadable: truncated JPEG");
        Map<String, Integer> collections = new HashMap<>();
        summary.get("collections").fields().forEachRemaining(e -> collections.put(e.getKey(), e.getValue().asInt()));
        Map<String, Integer> recipients = new HashMap<>();
        summary.get("recipients").fields().forEachRemaining(e -> recipients.put(e.getKey(), e.getValue().asInt()));
        assertThat(collections.keySet()).as("only the leaked collection").containsExactly("studio-a");
        assertThat(recipients.keySet()).as("only the leaking recipient, never a wrong one").containsExactly("bob");
        assertThat(collections.get("studio-a")).as("copies found").isGreaterThanOrEqualTo(copies - 1);
        assertThat(recipients.get("bob")).as("copies carrying bob's mark").isGreaterThanOrEqualTo((int) Math.ceil(0.9 * copies));
        for (JsonNode i : t.get("images")) {
            if (i.get("recipient").isTextual()) {
                assertThat(i.get("recipient_p_value").asDouble()).isLessThan(1e-6);
            }
        }
        assertThat(Files.readString(tmp.resolve("trace/report.html"))).contains("Leak traced").contains("bob");
        assertThat(r.run("log", "show")).contains("collection.release").contains("trace.run").contains("fingerprint.key");

        // from a scan of the suspect photos: copies found by PDQ, but nobody accused without the pixels
        Path scan = tmp.resolve("suspect.jsonl.gz");
        assertThat(r.exec("scan", suspect.toString(), "-o", scan.toString(), "--no-progress").code()).isIn(ExitCodes.OK, ExitCodes.SOME_FAILED);
        TestRegistry.Run fromScan = r.exec("trace", scan.toString(), "--json", "--no-progress");
        assertThat(fromScan.code()).as(fromScan.err()).isEqualTo(ExitCodes.FOUND);
        JsonNode ts = new ObjectMapper().readTree(fromScan.out()).get("summary");
        assertThat(ts.get("matched_by_pdq").asInt()).isPositive();
        assertThat(ts.get("collections").fieldNames()).toIterable().containsExactly("studio-a");
        assertThat(ts.get("recipients").size()).isZero();
    }
}
