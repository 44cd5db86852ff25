package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.evidence.HolderKey;
import org.likeness.hash.HashIndex;
import org.likeness.hash.PdqHash;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.hashlist.HashList;
import org.likeness.hashlist.ListCollection;
import org.likeness.hashlist.ListEntry;
import org.likeness.hashlist.SignedList;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The holder → marketplace exchange end to end on lfw-dev (evaluation half): a registered collection's photos, altered
 * as a seller does (JPEG 50–90, resize 0.5–1.0, crop ≤ 5 %), mixed with unrelated people's photos, are screened against
 * the holder's imported list; an erasure travels as a delta; tampered, expired, unknown-key and out-of-order lists are
 * refused with one line and the last good version kept.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HashListScreenTest {
    /** People of the collection, two photos each; one of them is enrolled and later erased. */
    static final int PEOPLE = 25;
    static final int UNRELATED = 25;

    @TempDir
    static Path tmp;
    static TestRegistry holder;
    static Map<String, String> market;
    static Path listing;
    /** listing file name → the collection photo it copies (null for unrelated photos). */
    static final Map<String, Path> copyOf = new HashMap<>();
    static String erasedPerson;
    static Path v1;

    static TestRegistry.Run marketplace(String... args) {
        java.io.StringWriter o = new java.io.StringWriter(), e = new java.io.StringWriter();
        int code = Main.run(market, new java.io.PrintWriter(o, true), new java.io.PrintWriter(e, true), args);
        return new TestRegistry.Run(code, o.toString(), e.toString());
    }

    static List<Path> evaluationPeople(Path lfw, int skip, int count) throws Exception {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(lfw)) {
            for (Path p : s.sorted().toList()) {
                if (!evaluationHalf(p.getFileName().toString())) {
                    continue;
                }
                try (Stream<Path> photos = Files.list(p)) {
                    if (photos.count() < 2) {
                        continue;
                    }
                }
                if (skip-- > 0) {
                    continue;
                }
                out.add(p);
                if (out.size() == count) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * lfw-dev's evaluation half, split by person as the lab's PersonSplit does (SHA-256 of "likeness-split-v1\0" and the
     * name, lowest bit 1): the face sketches' match distance was not chosen on these people.
     */
    static boolean evaluationHalf(String person) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(("likeness-split-v1\0" + person)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (d[0] & 1) == 1;
    }

    /** What a marketplace seller does to a photo: crop up to 5 %, resize to 0.5–1.0, re-encode at JPEG 50–90. */
    static byte[] sellerCopy(Path photo, Random random) {
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

    @BeforeAll
    static void holderExportsAndMarketplaceImports() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        NativeOpenCv.load();
        holder = new TestRegistry(tmp.resolve("holder"));
        market = Map.of("LIKENESS_HOME", tmp.resolve("market").toString());
        Path studio = tmp.resolve("studio-a");
        List<Path> photos = new ArrayList<>();
        List<Path> people = evaluationPeople(lfw, 0, PEOPLE);
        for (Path person : people) {
            try (Stream<Path> s = Files.list(person)) {
                for (Path p : s.sorted().limit(2).toList()) {
                    Path to = studio.resolve(person.getFileName().toString()).resolve(p.getFileName().toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to);
                    photos.add(to);
                }
            }
        }
        erasedPerson = people.get(3).getFileName().toString();
        try (Stream<Path> s = Files.list(studio.resolve(erasedPerson))) {
            List<String> args = new ArrayList<>(List.of("subject", "add", "--id", erasedPerson));
            s.sorted().forEach(p -> args.add(p.toString()));
            holder.run(args.toArray(String[]::new));
        }
        holder.run("collection", "add", "studio-a", studio.toString(), "--owner", "Studio A");
        v1 = tmp.resolve("studio-a.v1.json");
        assertThat(holder.run("hashlist", "export", "--collections", "studio-a", "--with-faces", "--contact", "abuse@studio-a.example",
                "-o", v1.toString())).contains("exported studio-a version 1 (full): " + photos.size() + " entries");
        Path pub = tmp.resolve("holder.pub");
        holder.run("hashlist", "key", "-o", pub.toString());
        assertThat(marketplace("hashlist", "trust", pub.toString()).out()).startsWith("trusted holder key ");
        TestRegistry.Run imp = marketplace("hashlist", "import", v1.toString());
        assertThat(imp.code()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("imported studio-a version 1 (full)").contains(photos.size() + " entries held");

        listing = tmp.resolve("listing");
        Files.createDirectories(listing);
        Random random = new Random(20261129L);
        List<Object[]> items = new ArrayList<>();
        for (Path p : photos) {
            items.add(new Object[]{sellerCopy(p, random), p});
        }
        for (Path person : evaluationPeople(lfw, PEOPLE, UNRELATED)) {
            try (Stream<Path> s = Files.list(person)) {
                items.add(new Object[]{Files.readAllBytes(s.sorted().findFirst().orElseThrow()), null});
            }
        }
        java.util.Collections.shuffle(items, random);
        for (int i = 0; i < items.size(); i++) {
            String name = String.format("item_%04d.jpg", i);
            Files.write(listing.resolve(name), (byte[]) items.get(i)[0]);
            copyOf.put(name, (Path) items.get(i)[1]);
        }
        byte[] whole = (byte[]) items.get(0)[0];
        Files.write(listing.resolve("broken.jpg"), java.util.Arrays.copyOf(whole, whole.length / 3));
    }

    static JsonNode screen(Path what, int expectedExit, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("screen", what.toString(), "--json", "--no-progress"));
        args.addAll(List.of(more));
        TestRegistry.Run run = marketplace(args.toArray(String[]::new));
        assertThat(run.code()).as(run.err()).isEqualTo(expectedExit);
        lastErr = run.err();
        return new ObjectMapper().readTree(run.out());
    }

    static String lastErr;

    /** Whether PDQ alone can match the copy: within the match radius of its original (plain or one of the dihedral hashes). */
    static boolean pdqCanMatch(Path copy, Path original) {
        PdqHasher h = new PdqHasher();
        PdqResult c = h.hash(Imgcodecs.imread(copy.toString()));
        PdqHash o = h.hash(Imgcodecs.imread(original.toString())).hash();
        return c.useful() && c.hash().distance(o) <= HashIndex.MATCH_THRESHOLD;
    }

    @Test
    @Order(1)
    void namesTheCollectionForItsCopiesAndNothingForUnrelatedPhotos() throws Exception {
        JsonNode s = screen(listing, ExitCodes.SCREEN_HELD);
        assertThat(s.get("decision").asText()).isEqualTo("block");
        int copies = 0, named = 0, pdqMatchable = 0, pdqMatchableNamed = 0, unrelatedMatched = 0, byFace = 0, farthestFace = 0;
        assertThat(lastErr).as("the truncated photo, one line").contains("likeness: broken.jpg: ");
        assertThat(s.get("face_dataset").get("failed").asInt()).isEqualTo(1);
        assertThat(s.get("reasons").toString()).contains("1 file(s) could not be inspected");
        for (JsonNode i : s.get("images")) {
            Path original = copyOf.get(i.get("path").asText());
            boolean isNamed = "studio-a".equals(i.get("collection").asText(null));
            if (original == null) {
                unrelatedMatched += i.get("list").isNull() ? 0 : 1;
                continue;
            }
            copies++;
            named += isNamed ? 1 : 0;
            if (isNamed && "face".equals(i.get("method").asText())) {
                byFace++;
                farthestFace = Math.max(farthestFace, i.get("distance").asInt());
            }
            if (pdqCanMatch(listing.resolve(i.get("path").asText()), original)) {
                pdqMatchable++;
                pdqMatchableNamed += isNamed ? 1 : 0;
            }
        }
        System.out.printf("screen: %d copies, %d named (%d by face, farthest sketch distance %d of 256); %d PDQ-matchable, %d of them named;"
                + " %d of %d unrelated matched%n", copies, named, byFace, farthestFace, pdqMatchable, pdqMatchableNamed, unrelatedMatched, UNRELATED);
        assertThat(copies).isEqualTo(2 * PEOPLE);
        assertThat(unrelatedMatched).as("unrelated photos matched").isZero();
        assertThat(pdqMatchableNamed).as("copies PDQ can match").isGreaterThanOrEqualTo((int) Math.ceil(0.99 * pdqMatchable));
        assertThat(named).as("copies named overall").isGreaterThanOrEqualTo((int) Math.ceil(0.95 * copies));
        JsonNode m = s.get("matches").get(0);
        assertThat(s.get("matches")).hasSize(1);
        assertThat(m.get("list").asText()).isEqualTo("studio-a");
        assertThat(m.get("collection").asText()).isEqualTo("studio-a");
        assertThat(m.get("images").asInt()).isEqualTo(named);
        assertThat(m.get("contact").asText()).isEqualTo("abuse@studio-a.example");
        assertThat(m.get("confidence").asText()).isEqualTo("high");
        JsonNode f = s.get("face_dataset");
        assertThat(f.get("images").asInt()).isEqualTo(2 * PEOPLE + UNRELATED);
        assertThat(f.get("verdict").asText()).isEqualTo("face dataset");
        assertThat(f.get("with_faces").asInt()).isGreaterThanOrEqualTo((int) (0.95 * (2 * PEOPLE + UNRELATED)));
        // 50 people, and the bystanders some lfw photos hold (faces per image > 1)
        assertThat(f.get("identities").asInt()).as("50 people and some bystanders").isBetween(45, f.get("faces").asInt());
    }

    @Test
    @Order(2)
    void anErasureTravelsAsADeltaAndItsPhotosNoLongerMatch() throws Exception {
        holder.run("subject", "erase", erasedPerson);
        Path v2 = tmp.resolve("studio-a.v2.json");
        assertThat(holder.run("hashlist", "export", "--collections", "studio-a", "--with-faces", "--since", "1", "-o", v2.toString()))
                .contains("version 2 (delta from 1)").contains("0 added, 2 removed").contains("2 image(s) of erased subjects left out");
        TestRegistry.Run imp = marketplace("hashlist", "import", v2.toString());
        assertThat(imp.code()).as(imp.err()).isZero();
        assertThat(imp.out()).contains("version 2 (delta from 1)").contains("0 added, 2 removed, " + (2 * PEOPLE - 2) + " entries held");
        JsonNode s = screen(listing, ExitCodes.SCREEN_HELD);
        int erasedNamed = 0, othersNamed = 0, others = 0;
        for (JsonNode i : s.get("images")) {
            Path original = copyOf.get(i.get("path").asText());
            if (original == null) {
                assertThat(i.get("list").isNull()).isTrue();
                continue;
            }
            boolean isNamed = !i.get("collection").isNull();
            if (original.getParent().getFileName().toString().equals(erasedPerson)) {
                erasedNamed += isNamed ? 1 : 0;
            } else {
                others++;
                othersNamed += isNamed ? 1 : 0;
            }
        }
        System.out.printf("after erasure: erased subject's copies named %d of 2; others %d of %d%n", erasedNamed, othersNamed, others);
        assertThat(erasedNamed).as("the erased subject's copies").isZero();
        assertThat(othersNamed).isGreaterThanOrEqualTo((int) Math.ceil(0.95 * others));
    }

    @Test
    @Order(3)
    void refusedListsSayWhyInOneLineAndTheLastGoodVersionIsKept() throws Exception {
        // one byte of the signed content changed: a PDQ digit of the first entry
        byte[] bytes = Files.readAllBytes(v1);
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        int at = text.indexOf("\"pdq\":\"") + 7;
        bytes[at] = (byte) (bytes[at] == '0' ? '1' : '0');
        Path tampered = tmp.resolve("tampered.json");
        Files.write(tampered, bytes);
        refused(tampered, "signature does not verify with key", "tampered");

        Path expired = tmp.resolve("expired.json");
        holder.run("hashlist", "export", "--collections", "studio-a", "--expires", "1s", "-o", expired.toString());
        Thread.sleep(1500);
        refused(expired, "expired at ");

        HolderKey stranger = HolderKey.loadOrCreate(tmp.resolve("stranger-keys"));
        HashList forged = new HashList("studio-a", 9, null, Instant.now(), Instant.now().plusSeconds(3600), HolderKey.id(stranger.publicKey()),
                null, null, List.of(new ListCollection("studio-a", "Mallory", "m@example")),
                List.of(new ListEntry("0".repeat(32), "studio-a", "f".repeat(64), List.of())), List.of());
        Path unknown = tmp.resolve("unknown-key.json");
        Files.write(unknown, SignedList.sign(forged, stranger));
        refused(unknown, "signed by unknown key " + HolderKey.id(stranger.publicKey()));

        Path outOfOrder = tmp.resolve("out-of-order.json");
        holder.run("hashlist", "export", "--collections", "studio-a", "--with-faces", "--since", "1", "-o", outOfOrder.toString());
        refused(outOfOrder, "out-of-order delta: from version 1 to 4 of studio-a, but version 2 is held");

        refused(v1, "version 1 of studio-a is not newer than the held version 2");

        assertThat(marketplace("hashlist", "show").out()).contains("studio-a v2").contains((2 * PEOPLE - 2) + " entries with faces");
        JsonNode s = screen(listing, ExitCodes.SCREEN_HELD);
        assertThat(s.get("matches").get(0).get("version").asInt()).isEqualTo(2);
    }

    private static void refused(Path list, String... reason) {
        TestRegistry.Run r = marketplace("hashlist", "import", list.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).as("one line").hasSize(1);
        assertThat(r.err()).startsWith("likeness: " + list + ": ");
        for (String x : reason) {
            assertThat(r.err()).contains(x);
        }
        System.out.print("refused: " + r.err());
    }

    @Test
    @Order(4)
    void photosWithoutFacesAreAllowedAsNotAFaceDataset() throws Exception {
        Path pdq = SharedData.require("pdq");
        Path notFaces = tmp.resolve("not-faces");
        for (String d : List.of("reg-test-input", "bridge-mods", "misc-images")) {
            try (Stream<Path> s = Files.walk(pdq.resolve(d))) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    Path to = notFaces.resolve(d + "-" + pdq.resolve(d).relativize(p).toString().replace('/', '-'));
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to);
                }
            }
        }
        JsonNode s = screen(notFaces, ExitCodes.OK);
        assertThat(s.get("decision").asText()).isEqualTo("allow");
        assertThat(s.get("face_dataset").get("verdict").asText()).isEqualTo("not a face dataset");
        assertThat(s.get("matches")).isEmpty();
        System.out.println("not faces: " + s.get("face_dataset"));

        // a marketplace whose only list expired after import: the list is not used, and nothing is allowed unchecked
        Map<String, String> before = market;
        try {
            market = Map.of("LIKENESS_HOME", tmp.resolve("market-2").toString());
            Path shortLived = tmp.resolve("short-lived.json");
            holder.run("hashlist", "export", "--collections", "studio-a", "--expires", "3s", "-o", shortLived.toString());
            assertThat(marketplace("hashlist", "trust", tmp.resolve("holder.pub").toString()).code()).isZero();
            assertThat(marketplace("hashlist", "import", shortLived.toString()).code()).isZero();
            Thread.sleep(3500);
            JsonNode stale = screen(notFaces, ExitCodes.SCREEN_HELD);
            assertThat(stale.get("decision").asText()).isEqualTo("review");
            assertThat(stale.get("reasons").toString()).contains("no current hash list is held");
            assertThat(lastErr).contains("likeness: hash list studio-a: expired at ");
        } finally {
            market = before;
        }
    }

    @Test
    @Order(5)
    void theListWithFacesHoldsNoTemplateAndAStrangersFaceMatchesNothing() throws Exception {
        JsonNode file = new ObjectMapper().readTree(v1.toFile());
        List<String> problems = new ArrayList<>();
        walk(file, "", problems);
        assertThat(problems).as("numbers beyond version fields, or strings long enough to hold a vector").isEmpty();
        JsonNode list = file.get("list");
        int sketches = 0;
        for (JsonNode e : list.get("added")) {
            for (JsonNode f : e.get("faces")) {
                assertThat(f.asText()).matches("[0-9a-f]{64}");
                sketches++;
            }
        }
        assertThat(sketches).isGreaterThanOrEqualTo(2 * PEOPLE);

        // what a list holder can compute: the least-squares direction from a sketch and the list's key
        org.likeness.hashlist.FaceSketch sketcher = new org.likeness.hashlist.FaceSketch(
                java.util.HexFormat.of().parseHex(list.get("sketch_key").asText()), 512);
        org.likeness.face.FacePipeline pipeline = Models.pipeline();
        Path studio = tmp.resolve("studio-a");
        List<Double> samePhoto = new ArrayList<>(), otherPhoto = new ArrayList<>();
        try (Stream<Path> people = Files.list(studio)) {
            for (Path person : people.sorted().toList()) {
                List<Path> two;
                try (Stream<Path> s = Files.list(person)) {
                    two = s.sorted().toList();
                }
                float[] a = primary(pipeline, two.get(0)), b = primary(pipeline, two.get(1));
                if (a == null || b == null) {
                    continue;
                }
                float[] r = sketcher.reconstruct(sketcher.sketch(a));
                samePhoto.add(cosine(r, a));
                otherPhoto.add(cosine(r, b));
            }
        }
        double meanSame = samePhoto.stream().mapToDouble(x -> x).average().orElseThrow();
        double maxOther = otherPhoto.stream().mapToDouble(x -> x).max().orElseThrow();
        long otherAbove = otherPhoto.stream().filter(x -> x >= org.likeness.face.MatchThreshold.FR_FEATURE_FMR_1E4).count();
        System.out.printf("reconstruction from a sketch: cosine to its own template mean %.3f (max %.3f); to another photo of the same"
                        + " person mean %.3f, max %.3f, %d of %d at or above the FMR 1e-4 threshold %.4f%n", meanSame,
                samePhoto.stream().mapToDouble(x -> x).max().orElseThrow(), otherPhoto.stream().mapToDouble(x -> x).average().orElseThrow(),
                maxOther, otherAbove, otherPhoto.size(), org.likeness.face.MatchThreshold.FR_FEATURE_FMR_1E4);
        assertThat(samePhoto.size()).isGreaterThanOrEqualTo(PEOPLE - 3);
        assertThat(meanSame).as("the sketch is no template: its reconstruction is far from it").isLessThan(0.6);

        // strangers: people of the evaluation half in neither the collection nor the listing
        Path strangers = tmp.resolve("strangers");
        Files.createDirectories(strangers);
        for (Path person : evaluationPeople(SharedData.require("lfw-dev/images"), PEOPLE + UNRELATED, 60)) {
            try (Stream<Path> s = Files.list(person)) {
                Path p = s.sorted().findFirst().orElseThrow();
                Files.copy(p, strangers.resolve(p.getFileName()));
            }
        }
        JsonNode s = screen(strangers, ExitCodes.SCREEN_HELD);
        assertThat(s.get("decision").asText()).as("a face dataset, reviewed, never blocked").isEqualTo("review");
        assertThat(s.get("matches")).as("strangers' faces").isEmpty();
        System.out.println("strangers: " + s.get("face_dataset").get("faces") + " faces, 0 matched");
    }

    private static float[] primary(org.likeness.face.FacePipeline pipeline, Path photo) {
        List<org.likeness.face.Face> faces = pipeline.faces(Imgcodecs.imread(photo.toString()));
        return faces.stream().max(java.util.Comparator.comparingDouble(f -> f.box().w() * f.box().h()))
                .map(f -> f.embedding().vector()).orElse(null);
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** Any number other than a version field, and any string longer than a signature, is a problem. */
    private static void walk(JsonNode n, String at, List<String> problems) {
        if (n.isNumber() && !at.matches(".*\\.(version|base|sketch_bits)")) {
            problems.add(at + " = " + n);
        } else if (n.isTextual() && n.asText().length() > 88) {
            problems.add(at + " is " + n.asText().length() + " characters");
        } else if (n.isObject()) {
            n.fields().forEachRemaining(e -> walk(e.getValue(), at + "." + e.getKey(), problems));
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                walk(n.get(i), at + "[" + i + "]", problems);
            }
        }
    }

    @Test
    @Order(6)
    void aScanOfTheListingIsScreenedAndThePolicyDecides() throws Exception {
        Path scan = tmp.resolve("listing.jsonl.gz");
        assertThat(holder.exec("scan", listing.toString(), "-o", scan.toString(), "--no-progress").code()).isIn(ExitCodes.OK, ExitCodes.SOME_FAILED);
        Path lenient = tmp.resolve("lenient.json");
        Files.writeString(lenient, "{\"block_matched_images\": 1000, \"review_face_dataset\": false}");
        JsonNode s = screen(scan, ExitCodes.SCREEN_HELD, "--policy", lenient.toString());
        assertThat(s.get("decision").asText()).as("matches below the block threshold are reviewed").isEqualTo("review");
        assertThat(s.get("policy").get("block_matched_images").asInt()).isEqualTo(1000);
        int named = 0;
        for (JsonNode i : s.get("images")) {
            named += "studio-a".equals(i.get("collection").asText(null)) ? 1 : 0;
            if (copyOf.get(i.get("path").asText()) == null) {
                assertThat(i.get("list").isNull()).as(i.get("path").asText()).isTrue();
            }
        }
        assertThat(named).as("copies named from the scan (no dihedral hashes without pixels)").isGreaterThanOrEqualTo((int) Math.ceil(0.95 * 48));

        Path typo = tmp.resolve("typo.json");
        Files.writeString(typo, "{\"block_matched\": 2}");
        TestRegistry.Run bad = marketplace("screen", scan.toString(), "--policy", typo.toString());
        assertThat(bad.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.err().strip().lines()).hasSize(1);
        assertThat(bad.err()).contains("unknown policy key 'block_matched'");

        TestRegistry.Run unknown = holder.exec("hashlist", "export", "--collections", "nope", "-o", tmp.resolve("x.json").toString());
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("nope");
        TestRegistry.Run noVersion = holder.exec("hashlist", "export", "--collections", "studio-a", "--since", "42", "-o", tmp.resolve("x.json").toString());
        assertThat(noVersion.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(noVersion.err()).contains("list studio-a has no exported version 42");
        assertThat(Files.exists(tmp.resolve("x.json"))).isFalse();
    }

    @Test
    @Order(7)
    void rotatedAndMirroredCopiesAreFoundThroughTheDihedralHashes() throws Exception {
        Path turned = tmp.resolve("turned");
        Files.createDirectories(turned);
        List<Path> originals = copyOf.values().stream().filter(java.util.Objects::nonNull)
                .filter(p -> !p.getParent().getFileName().toString().equals(erasedPerson)).sorted().limit(3).toList();
        int[] codes = {org.opencv.core.Core.ROTATE_90_CLOCKWISE, org.opencv.core.Core.ROTATE_180, -1};
        for (int k = 0; k < originals.size(); k++) {
            Mat img = Imgcodecs.imread(originals.get(k).toString());
            Mat out = new Mat();
            if (codes[k] >= 0) {
                org.opencv.core.Core.rotate(img, out, codes[k]);
            } else {
                org.opencv.core.Core.flip(img, out, 1);
            }
            Imgcodecs.imwrite(turned.resolve("turned_" + k + ".jpg").toString(), out);
        }
        JsonNode s = screen(turned, ExitCodes.SCREEN_HELD);
        for (JsonNode i : s.get("images")) {
            assertThat(i.get("collection").asText(null)).as(i.get("path").asText()).isEqualTo("studio-a");
            assertThat(i.get("method").asText()).as(i.get("path").asText()).isEqualTo("pdq");
        }
        assertThat(s.get("images")).hasSize(3);
    }
}
