package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two registered collections built from lfw-dev; a revocation must list exactly the images of that subject in both,
 * `impact` the same, the log must record it, and `redact --collection` must clean them under current consent.
 */
class CollectionCommandTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path folder(Path lfw, String name, String... photos) throws Exception {
        Path dir = tmp.resolve(name);
        for (String p : photos) {
            String person = p.substring(0, p.lastIndexOf('_'));
            Path to = dir.resolve(person).resolve(p + ".jpg");
            Files.createDirectories(to.getParent());
            Files.copy(lfw.resolve(person).resolve(p + ".jpg"), to);
        }
        return dir;
    }

    private static List<String> impacted(JsonNode impact) {
        List<String> out = new ArrayList<>();
        impact.get("images").forEach(i -> out.add(i.get("collection").asText() + ":" + i.get("path").asText()));
        return out;
    }

    @Test
    void revocationListsEveryImageOfTheSubjectAcrossCollections() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Models.store();
        TestRegistry r = new TestRegistry(tmp.resolve("home"));
        r.run("subject", "add", "--id", "gwb", lfw.resolve("George_W_Bush/George_W_Bush_0001.jpg").toString());
        r.run("subject", "add", "--id", "powell", lfw.resolve("Colin_Powell/Colin_Powell_0001.jpg").toString());
        r.run("consent", "grant", "gwb", "--purpose", "training");
        r.run("consent", "grant", "powell", "--purpose", "training");
        Path a = folder(lfw, "a", "George_W_Bush_0002", "George_W_Bush_0003", "Colin_Powell_0002", "Hugo_Chavez_0002");
        Path b = folder(lfw, "b", "George_W_Bush_0004", "Colin_Powell_0003", "Colin_Powell_0004", "Serena_Williams_0002");

        assertThat(r.run("collection", "add", "lab-a", a.toString(), "--owner", "Acme")).contains("registered collection lab-a (owner Acme): 4 images");
        r.run("collection", "add", "lab-b", b.toString(), "--owner", "Beta");
        assertThat(r.exec("collection", "add", "lab-b", b.toString()).code()).as("a name is registered once").isEqualTo(ExitCodes.ERROR);
        assertThat(r.run("collection", "list")).contains("lab-a").contains("lab-b").contains("2 collection(s)");

        JsonNode revoke = JSON.readTree(r.run("consent", "revoke", "powell", "--purpose", "training", "--json"));
        List<String> expected = List.of("lab-a:Colin_Powell/Colin_Powell_0002.jpg", "lab-b:Colin_Powell/Colin_Powell_0003.jpg",
                "lab-b:Colin_Powell/Colin_Powell_0004.jpg");
        assertThat(impacted(revoke.get("impact"))).containsExactlyElementsOf(expected);
        assertThat(revoke.get("revoked")).hasSize(1);
        assertThat(impacted(JSON.readTree(r.run("impact", "powell", "--json")))).containsExactlyElementsOf(expected);
        assertThat(r.run("impact", "powell")).contains("in 3 image(s) of 2 registered collection(s)")
                .contains("likeness redact --collection lab-b");
        String log = r.run("log", "show");
        assertThat(log).contains("propagation.revoke").contains("propagation.query").contains("collection.add");
        assertThat(r.run("log", "verify")).startsWith("log intact");

        JsonNode show = JSON.readTree(r.run("collection", "show", "lab-b", "--purpose", "training", "--json"));
        assertThat(show.get("images").asInt()).isEqualTo(4);
        assertThat(show.get("subjects").toString()).contains("\"subject\":\"powell\",\"faces\":2,\"status\":\"revoked\"")
                .contains("\"subject\":\"gwb\",\"faces\":1,\"status\":\"consented\"");

        String watch = r.run("watch", "--once", "--purpose", "training");
        assertThat(watch).contains("consent changed for gwb, powell since log entry 0")
                .contains("powell (revoked): Colin_Powell/Colin_Powell_0003.jpg, Colin_Powell/Colin_Powell_0004.jpg");
        assertThat(r.run("watch", "--once")).startsWith("no consent or collection change since log entry");
        r.run("watch", "--once", "--purpose", "evaluation");
        assertThat(r.run("watch", "--once", "--purpose", "training")).as("each purpose keeps its own cursor")
                .startsWith("no consent or collection change since log entry");
        r.run("consent", "grant", "powell", "--purpose", "training");
        assertThat(r.run("watch", "--once")).contains("consent changed for powell since").contains("powell (consented)");
        r.run("consent", "revoke", "powell", "--purpose", "training");
        // an expiry writes no log entry: watch notices it by comparing states with its last check
        java.time.Instant until = java.time.Instant.now().plusSeconds(3);
        r.run("consent", "grant", "gwb", "--purpose", "evaluation", "--until", until.toString());
        assertThat(r.run("watch", "--once", "--purpose", "evaluation")).contains("gwb (consented)");
        Thread.sleep(Math.max(0, java.time.Duration.between(java.time.Instant.now(), until).toMillis() + 300));
        assertThat(r.run("watch", "--once", "--purpose", "evaluation")).contains("consent changed for gwb since").contains("gwb (expired)");

        Path out = tmp.resolve("clean-b");
        assertThat(r.exec("redact", "--collection", "lab-b", "--purpose", "training", "-o", out.toString()).code()).isZero();
        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        for (JsonNode e : manifest.get("images")) {
            String path = e.get("path").asText();
            String action = e.get("action").asText();
            if (path.startsWith("Colin_Powell/") || path.startsWith("Serena_Williams/")) {
                assertThat(action).as(path + ": revoked / unknown").isEqualTo("redacted");
            }
        }
        assertThat(Files.readAllBytes(out.resolve("George_W_Bush/George_W_Bush_0004.jpg")))
                .as("consented, no bystanders").isEqualTo(Files.readAllBytes(b.resolve("George_W_Bush/George_W_Bush_0004.jpg")));
        assertThat(r.run("log", "show")).contains("collection.redact");

        Files.copy(lfw.resolve("Colin_Powell/Colin_Powell_0005.jpg"), a.resolve("Colin_Powell/Colin_Powell_0005.jpg"));
        assertThat(r.run("collection", "rescan", "lab-a")).contains("1 added, 0 removed, 0 changed, 4 unchanged");
        assertThat(impacted(JSON.readTree(r.run("impact", "powell", "--json")))).contains("lab-a:Colin_Powell/Colin_Powell_0005.jpg").hasSize(4);

        r.run("collection", "remove", "lab-b");
        assertThat(impacted(JSON.readTree(r.run("impact", "powell", "--json")))).allMatch(s -> s.startsWith("lab-a:")).hasSize(2);
        assertThat(r.run("subject", "erase", "gwb")).contains("gwb's face is in 2 image(s) of 1 registered collection(s)");
        assertThat(r.exec("collection", "show", "lab-b").code()).isEqualTo(ExitCodes.SOME_FAILED); // not found, as from subject show
        assertThat(r.run("log", "verify")).startsWith("log intact");
    }
}
