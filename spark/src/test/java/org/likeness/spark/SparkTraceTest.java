package org.likeness.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.json.Json;
import org.likeness.scan.ShardFixtures;
import org.likeness.trace.TraceResult;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spark trace on local[2] against {@code likeness trace} of the same suspect shards' scan: a registered
 * collection of 12 lfw-dev photos; suspect shards holding 6 of them (copies, found by PDQ), other photos of the same
 * people (found by face) and strangers. The same traced images.
 */
class SparkTraceTest {
    @TempDir
    Path tmp;

    @Test
    void sparkTraceFindsWhatTraceOfTheScanFinds() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        List<Path> people;
        try (Stream<Path> s = Files.list(lfw)) {
            people = s.sorted().toList();
        }
        Path collection = tmp.resolve("collection");
        Files.createDirectories(collection);
        Map<String, byte[]> suspect = new LinkedHashMap<>();
        int registered = 0, key = 0;
        for (Path person : people) {
            List<Path> own;
            try (Stream<Path> s = Files.list(person)) {
                own = s.sorted().toList();
            }
            if (registered < 12 && own.size() >= 2) {
                Files.copy(own.get(0), collection.resolve(own.get(0).getFileName()));
                if (registered % 2 == 0) {
                    suspect.put(String.format("%09d.jpg", key++), Files.readAllBytes(own.get(0))); // a copy
                }
                suspect.put(String.format("%09d.jpg", key++), Files.readAllBytes(own.get(1))); // another photo of the person
                registered++;
            } else if (registered >= 12) {
                suspect.put(String.format("%09d.jpg", key++), Files.readAllBytes(own.get(0))); // a stranger
                if (key >= 30) {
                    break;
                }
            }
        }
        Path shards = tmp.resolve("shards");
        Files.createDirectories(shards);
        List<String> keys = List.copyOf(suspect.keySet());
        for (int s = 0; s * 10 < keys.size(); s++) {
            Map<String, byte[]> members = new LinkedHashMap<>();
            for (String k : keys.subList(s * 10, Math.min(keys.size(), s * 10 + 10))) {
                members.put(k, suspect.get(k));
            }
            ShardFixtures.tar(shards.resolve(String.format("%05d.tar", s)), members);
        }
        Map<String, String> env = Map.of("LIKENESS_HOME", tmp.resolve("home").toString());
        AuditFixture cli = AuditFixture.withEnv(env);
        cli.cli("registry", "init");
        cli.cli("collection", "add", "held", collection.toString(), "--owner", "Lab");
        Path scan = tmp.resolve("suspect.jsonl.gz");
        cli.cli("scan", shards.toString(), "-o", scan.toString(), "--no-progress");
        Path single = tmp.resolve("single");
        assertThat(cli.cli("trace", scan.toString(), "--report", single.toString())).isEqualTo(3);
        Path distributed = tmp.resolve("spark");
        TraceResult r;
        try {
            r = TraceJob.run("local[2]", shards, null, distributed, null, env, new PrintWriter(new StringWriter(), true));
        } finally {
            org.apache.spark.sql.SparkSession.getActiveSession().foreach(s -> {
                s.stop();
                return null;
            });
        }
        JsonNode a = Json.MAPPER.readTree(single.resolve("trace.json").toFile());
        JsonNode b = Json.MAPPER.readTree(distributed.resolve("trace.json").toFile());
        assertThat(b.get("images")).isEqualTo(a.get("images"));
        assertThat(r.collections()).containsOnlyKeys("held");
        JsonNode summary = b.get("summary");
        assertThat(summary.get("matched_by_pdq").asInt()).as("the six copies").isEqualTo(6);
        assertThat(summary.get("identity_only").asInt()).as("other photos of registered people").isPositive();
        assertThat(summary.get("unmatched").asInt()).as("strangers").isPositive();
        for (String k : new String[] {"matched_by_pdq", "identity_only", "unmatched", "failed", "images"}) {
            assertThat(summary.get(k)).as(k).isEqualTo(a.get("summary").get(k));
        }
    }
}
