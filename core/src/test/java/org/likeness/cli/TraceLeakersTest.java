package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.image.NativeOpenCv;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.imgcodecs.Imgcodecs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a leaker does beyond a marketplace: one recipient's copies leak rotated by 90°, mirrored, cropped by 25 % of each
 * side off-centre, and rotated by 270° and re-encoded, among unrelated photos. The real trace path must name that
 * recipient for each, and the signed evidence statement must verify against the registry and fail after one byte changes.
 */
class TraceLeakersTest {
    @TempDir
    Path tmp;

    private static List<Path> people(Path lfw, int from, int count) throws Exception {
        try (Stream<Path> s = Files.list(lfw)) {
            return s.sorted().skip(from).limit(count).toList();
        }
    }

    private static byte[] jpeg(Mat m, int quality) {
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(".jpg", m, buf, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
        return buf.toArray();
    }

    private static byte[] png(Mat m) {
        MatOfByte buf = new MatOfByte();
        Imgcodecs.imencode(".png", m, buf);
        return buf.toArray();
    }

    @Test
    void namesTheRecipientOfRotatedMirroredAndCroppedCopiesAndSignsTheEvidence() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        NativeOpenCv.load();
        TestRegistry r = new TestRegistry(tmp.resolve("home"));
        Path coll = tmp.resolve("studio");
        for (Path person : people(lfw, 300, 8)) {
            try (Stream<Path> s = Files.list(person)) {
                Path p = s.sorted().findFirst().orElseThrow();
                Path to = coll.resolve(person.getFileName().toString()).resolve(p.getFileName().toString());
                Files.createDirectories(to.getParent());
                Files.copy(p, to);
            }
        }
        r.run("collection", "add", "studio", coll.toString(), "--owner", "Studio");
        for (String who : List.of("alice", "bob", "carol")) {
            r.run("release", "studio", "--to", who, "-o", tmp.resolve("copy-" + who).toString(), "--no-progress");
        }
        List<Path> bob;
        try (Stream<Path> s = Files.walk(tmp.resolve("copy-bob"))) {
            bob = s.filter(Files::isRegularFile).sorted().toList();
        }
        Path suspect = tmp.resolve("leak");
        Files.createDirectories(suspect);
        Mat a = Imgcodecs.imread(bob.get(0).toString());
        Mat rotated = new Mat();
        Core.rotate(a, rotated, Core.ROTATE_90_CLOCKWISE);
        Files.write(suspect.resolve("rotated.png"), png(rotated));
        Mat b = Imgcodecs.imread(bob.get(1).toString());
        Mat mirrored = new Mat();
        Core.flip(b, mirrored, 1);
        Files.write(suspect.resolve("mirrored.jpg"), jpeg(mirrored, 90));
        Mat c = Imgcodecs.imread(bob.get(2).toString());
        int cutX = (int) Math.round(c.cols() * 0.25), cutY = (int) Math.round(c.rows() * 0.25);
        // off-centre: 80 % of the cut from the left, 20 % from the top
        Mat cropped = c.submat(new Rect((int) Math.round(cutX * 0.8), (int) Math.round(cutY * 0.2), c.cols() - cutX, c.rows() - cutY)).clone();
        Files.write(suspect.resolve("cropped.jpg"), jpeg(cropped, 90));
        Mat d = Imgcodecs.imread(bob.get(3).toString());
        Mat turned = new Mat();
        Core.rotate(d, turned, Core.ROTATE_90_COUNTERCLOCKWISE);
        Files.write(suspect.resolve("turned.jpg"), jpeg(turned, 70));
        for (Path person : people(lfw, 500, 4)) {
            try (Stream<Path> s = Files.list(person)) {
                Path p = s.sorted().findFirst().orElseThrow();
                Files.copy(p, suspect.resolve("other-" + p.getFileName()));
            }
        }

        Path evidence = tmp.resolve("evidence");
        TestRegistry.Run run = r.exec("trace", suspect.toString(), "--json", "--no-progress", "--evidence", evidence.toString());
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.FOUND);
        JsonNode t = new ObjectMapper().readTree(run.out());
        Map<String, String> named = new HashMap<>();
        for (JsonNode i : t.get("images")) {
            named.put(i.get("path").asText(), i.get("recipient").isTextual() ? i.get("recipient").asText() : null);
        }
        assertThat(named.get("rotated.png")).as("rotated by 90°").isEqualTo("bob");
        assertThat(named.get("mirrored.jpg")).as("mirrored").isEqualTo("bob");
        assertThat(named.get("cropped.jpg")).as("25 % cropped off-centre").isEqualTo("bob");
        assertThat(named.get("turned.jpg")).as("rotated by 270°, JPEG 70").isEqualTo("bob");
        assertThat(t.get("summary").get("recipients").fieldNames()).toIterable().containsExactly("bob");

        Path statement = evidence.resolve("statement.json");
        JsonNode st = new ObjectMapper().readTree(statement.toFile()).get("statement");
        assertThat(st.get("accused")).hasSize(1);
        assertThat(st.get("accused").get(0).get("recipient").asText()).isEqualTo("bob");
        assertThat(st.get("accused").get(0).get("photos_carrying_mark").asInt()).isEqualTo(4);
        assertThat(st.get("accused").get(0).get("releases").get(0).get("log_entry").get("action").asText()).isEqualTo("collection.release");
        TestRegistry.Run ok = r.exec("verify", statement.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out()).contains("ok     signature").contains("ok     signer").contains("ok     release log entry").contains("verified");

        // one byte changed inside the signed statement: bob's photo count 4 -> 5
        String text = Files.readString(statement);
        int at = text.indexOf("\"photos_carrying_mark\" : 4");
        assertThat(at).isPositive();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int digit = text.substring(0, at).getBytes(StandardCharsets.UTF_8).length + "\"photos_carrying_mark\" : ".length();
        bytes[digit] = '5';
        Path tampered = tmp.resolve("tampered.json");
        Files.write(tampered, bytes);
        TestRegistry.Run bad = r.exec("verify", tampered.toString());
        assertThat(bad.code()).as(bad.out()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(bad.out()).contains("FAILED signature").contains("NOT verified");

        // a statement signed by another key is not the holder's
        TestRegistry.Run export = r.exec("verify", "--export-key");
        assertThat(export.out()).startsWith("-----BEGIN PUBLIC KEY-----");
        Path otherKey = tmp.resolve("other.pub");
        java.security.KeyPair kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.writeString(otherKey, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(kp.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        TestRegistry.Run wrongKey = r.exec("verify", statement.toString(), "--public-key", otherKey.toString());
        assertThat(wrongKey.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(wrongKey.out()).contains("FAILED signer");
    }
}
