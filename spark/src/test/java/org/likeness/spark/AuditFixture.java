package org.likeness.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.cli.Main;
import org.likeness.scan.ShardFixtures;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebDataset written from real lfw-dev photos (img2dataset layout: KEY.jpg, KEY.json, KEY.txt; per-shard index
 * parquet), with one bad input of each kind, and a registry under its own LIKENESS_HOME in which some of the people
 * are enrolled from a photo outside the dataset, some with consent for training.
 */
final class AuditFixture {
    final Path shards;
    final Map<String, String> env = new HashMap<>();
    final int photos;

    private AuditFixture(Path shards, int photos) {
        this.shards = shards;
        this.photos = photos;
    }

    /**
     * @param photos     real photos in the dataset
     * @param shardSize  photos per tar shard (img2dataset's default is 10,000; tests use small ones)
     * @param enrolled   people enrolled (the first of them with consent for training: half)
     */
    static AuditFixture write(Path dir, int photos, int shardSize, int enrolled) throws IOException {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        List<Path> people;
        try (Stream<Path> s = Files.list(lfw)) {
            people = s.sorted().toList();
        }
        // people with at least two photos first: one photo enrols, the others are in the dataset
        List<Path> enrolPhotos = new ArrayList<>();
        List<Path> datasetPhotos = new ArrayList<>();
        for (Path person : people) {
            List<Path> own;
            try (Stream<Path> s = Files.list(person)) {
                own = s.sorted().toList();
            }
            if (enrolPhotos.size() < enrolled && own.size() >= 2) {
                enrolPhotos.add(own.get(0));
                datasetPhotos.addAll(own.subList(1, Math.min(own.size(), 4)));
            } else if (enrolPhotos.size() >= enrolled) {
                datasetPhotos.add(own.get(0));
            }
            if (datasetPhotos.size() >= photos) {
                break;
            }
        }
        datasetPhotos = datasetPhotos.subList(0, photos);
        Path shards = dir.resolve("shards");
        Files.createDirectories(shards);
        int key = 0;
        for (int shard = 0; shard * shardSize < datasetPhotos.size(); shard++) {
            Map<String, byte[]> members = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>();
            for (Path p : datasetPhotos.subList(shard * shardSize, Math.min(datasetPhotos.size(), (shard + 1) * shardSize))) {
                String k = String.format("%05d%04d", shard, key++ % 10_000);
                members.put(k + ".jpg", Files.readAllBytes(p));
                members.put(k + ".json", ShardFixtures.json(k, p.getParent().getFileName().toString()));
                members.put(k + ".txt", p.getParent().getFileName().toString().getBytes());
                keys.add(k);
            }
            if (shard == 0) {
                members.put("000009999.jpg", "<html>404 Not Found</html>".getBytes()); // a failed download saved as a photo
            }
            String name = String.format("%05d", shard);
            ShardFixtures.tar(shards.resolve(name + ".tar"), members);
            ShardFixtures.indexTable(shards.resolve(name + ".parquet"), keys.toArray(String[]::new));
        }
        // a truncated shard: a download cut in the middle of its second photo
        Map<String, byte[]> cut = new LinkedHashMap<>();
        cut.put("900000000.jpg", Files.readAllBytes(enrolPhotos.get(0)));
        cut.put("900000001.jpg", Files.readAllBytes(enrolPhotos.get(1)));
        ShardFixtures.tar(dir.resolve("whole.tar"), cut);
        byte[] whole = Files.readAllBytes(dir.resolve("whole.tar"));
        Files.write(shards.resolve("90000.tar"), Arrays.copyOf(whole, whole.length / 2 + 700));
        // a Parquet file of the wrong schema among the shards (no image column, no tar beside it)
        ShardFixtures.indexTable(shards.resolve("metadata.parquet"), "x");

        AuditFixture f = new AuditFixture(shards, photos);
        f.env.put("LIKENESS_HOME", dir.resolve("home").toString());
        f.cli("registry", "init");
        for (int i = 0; i < enrolPhotos.size(); i++) {
            String id = enrolPhotos.get(i).getParent().getFileName().toString().toLowerCase();
            f.cli("subject", "add", "--id", id, "--name", id, "--face", "1", enrolPhotos.get(i).toString()); // the largest face
            if (i < enrolPhotos.size() / 2) {
                f.cli("consent", "grant", id, "--purpose", "training");
            }
        }
        return f;
    }

    /** A fixture of no dataset, only an environment to run commands in. */
    static AuditFixture withEnv(Map<String, String> env) {
        AuditFixture f = new AuditFixture(null, 0);
        f.env.putAll(env);
        return f;
    }

    /** Runs a likeness command against this fixture's registry; it must not fail with an error. */
    int cli(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(env, new PrintWriter(o, true), new PrintWriter(e, true), args);
        assertThat(code).as(String.join(" ", args) + ": " + e).isIn(0, 1, 3);
        return code;
    }

    /** What two audits must agree on: summary, every face's path, box, subject, status, identity; the identities. */
    static void assertSameFindings(JsonNode a, JsonNode b) {
        assertThat(b.get("summary")).isEqualTo(a.get("summary"));
        assertThat(b.get("verdict")).isEqualTo(a.get("verdict"));
        assertThat(b.get("match_threshold")).isEqualTo(a.get("match_threshold"));
        assertThat(strip(b.get("faces"))).isEqualTo(strip(a.get("faces")));
        assertThat(b.get("identities")).isEqualTo(a.get("identities"));
        assertThat(b.get("failures")).isEqualTo(a.get("failures"));
        assertThat(b.get("images")).isEqualTo(a.get("images"));
    }

    private static List<String> strip(JsonNode faces) {
        List<String> out = new ArrayList<>();
        faces.forEach(f -> out.add(f.get("path").asText() + " " + f.get("box") + " " + f.get("subject") + " " + f.get("status")
                + " " + f.get("similarity") + " " + f.get("identity") + " " + f.get("decided_by") + " " + f.get("reason")));
        return out;
    }
}
