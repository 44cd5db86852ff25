package org.likeness.lab;

import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.Main;
import org.likeness.cli.UserException;
import org.likeness.evidence.HolderKey;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.hashlist.FaceSketch;
import org.likeness.hashlist.HashList;
import org.likeness.hashlist.ListCollection;
import org.likeness.hashlist.ListEntry;
import org.likeness.hashlist.SignedList;
import org.likeness.image.NativeOpenCv;
import org.likeness.json.Json;
import org.opencv.imgcodecs.Imgcodecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code likeness bench screen}: a marketplace's screen of N photos against a hash list covering M registered images,
 * timed through the real commands ({@code hashlist trust}, {@code hashlist import}, {@code screen}).
 */
@Command(name = "screen", mixinStandardHelpOptions = true,
        description = {"Write a signed hash list of --registered images with faces, trust and import it in a fresh marketplace home under"
                + " --work, and screen a listing of the first --photos lfw photos against it (timed). --matched of the listing's photos are"
                + " in the list by their real PDQ hash; the other entries are synthetic (random PDQ hashes, sketches of random unit vectors):"
                + " the list's size, not its content, is what they stand for."})
final class BenchScreenCommand extends BaseCommand {
    @Option(names = "--images", required = true, description = "Folder of person/photo.jpg, e.g. ../shared/data/lfw-dev/images.")
    Path images;
    @Option(names = "--work", required = true, description = "Empty folder for the list, the marketplace's home and the report.")
    Path work;
    @Option(names = "--photos", description = "Photos in the listing (default ${DEFAULT-VALUE}).")
    int photos = 5000;
    @Option(names = "--registered", description = "Registered images the list covers (default ${DEFAULT-VALUE}).")
    int registered = 100_000;
    @Option(names = "--matched", description = "Listing photos whose real PDQ hash is in the list (default ${DEFAULT-VALUE}).")
    int matched = 500;
    @Option(names = "--threads", description = "Threads of the screen (default: the machine's cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        NativeOpenCv.load();
        Files.createDirectories(work);
        List<Path> all;
        try (Stream<Path> s = Files.walk(images)) {
            all = s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
        }
        if (all.size() < photos) {
            throw new UserException(images + ": " + all.size() + " photos, fewer than --photos " + photos);
        }
        Path listing = work.resolve("listing");
        for (Path p : all.subList(0, photos)) {
            Path to = listing.resolve(images.relativize(p).toString());
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
        }
        Random random = new Random(20261129L);
        byte[] sketchKey = new byte[32];
        random.nextBytes(sketchKey);
        FaceSketch sketcher = new FaceSketch(sketchKey, 512);
        List<ListEntry> entries = new ArrayList<>(registered);
        PdqHasher hasher = new PdqHasher();
        long t = System.nanoTime();
        for (int i = 0; i < registered; i++) {
            String pdq = null;
            if (i < matched) {
                PdqResult r = hasher.hash(Imgcodecs.imread(all.get(i).toString()));
                pdq = r.useful() ? r.hash().toHex() : null;
            }
            if (pdq == null) {
                StringBuilder h = new StringBuilder();
                for (int k = 0; k < 4; k++) {
                    h.append(String.format(Locale.ROOT, "%016x", random.nextLong()));
                }
                pdq = h.toString();
            }
            float[] v = new float[512];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
            byte[] id = new byte[16];
            random.nextBytes(id);
            entries.add(new ListEntry(HexFormat.of().formatHex(id), "bench", pdq, List.of(FaceSketch.toHex(sketcher.sketch(v)))));
        }
        HolderKey key = HolderKey.loadOrCreate(work.resolve("holder-keys"));
        HashList list = new HashList("bench", 1, null, Instant.now(), Instant.now().plusSeconds(86_400), HolderKey.id(key.publicKey()),
                "fr-feature-512", HexFormat.of().formatHex(sketchKey), List.of(new ListCollection("bench", "bench", "bench@example")),
                entries, List.of());
        Path file = work.resolve("bench.list.json");
        Files.write(file, SignedList.sign(list, key));
        out().printf(Locale.ROOT, "list of %d entries (%d face sketches) written and signed in %.1f s: %.1f MB%n", registered, registered,
                (System.nanoTime() - t) / 1e9, Files.size(file) / 1e6);
        Path pub = work.resolve("holder.pub");
        Files.writeString(pub, key.publicPem());

        Map<String, String> env = new HashMap<>();
        env.put("LIKENESS_HOME", work.resolve("market").toString());
        run(env, "hashlist", "trust", pub.toString());
        t = System.nanoTime();
        run(env, "hashlist", "import", file.toString());
        out().printf(Locale.ROOT, "hashlist import (verify, store): %.1f s%n", (System.nanoTime() - t) / 1e9);
        Path report = work.resolve("report");
        List<String> args = new ArrayList<>(List.of("screen", listing.toString(), "--report", report.toString(), "--no-progress"));
        if (threads != null) {
            args.add("--threads");
            args.add(Integer.toString(threads));
        }
        t = System.nanoTime();
        run(env, args.toArray(String[]::new));
        double seconds = (System.nanoTime() - t) / 1e9;
        JsonNode j = Json.MAPPER.readTree(report.resolve("screen.json").toFile());
        int found = 0;
        for (JsonNode i : j.get("images")) {
            found += "bench".equals(i.get("collection").asText(null)) ? 1 : 0;
        }
        JsonNode f = j.get("face_dataset");
        out().printf(Locale.ROOT, "screen of %d photos against %d registered images: %.1f s (%.1f photos/s); decision %s; %d matched"
                        + " (%d listed by PDQ); %d faces, %d identities%n", photos, registered, seconds, photos / seconds,
                j.get("decision").asText(), found, matched, f.get("faces").asInt(), f.get("identities").asInt());
        return ExitCodes.OK;
    }

    private void run(Map<String, String> env, String... args) {
        java.io.StringWriter buf = new java.io.StringWriter();
        int code = Main.run(env, new java.io.PrintWriter(buf, true), err(), args);
        if (code != ExitCodes.OK && code != 3) {
            throw new UserException(String.join(" ", args) + " exited " + code + ": " + buf);
        }
    }
}
