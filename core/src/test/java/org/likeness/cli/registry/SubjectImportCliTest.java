package org.likeness.cli.registry;

import org.likeness.cli.registry.RegistryCli.Run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.likeness.cli.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code subject import} end to end on an H2 registry: rows are all or nothing, refusals are named, exit codes hold. */
class SubjectImportCliTest {
    @TempDir
    Path tmp;

    private Map<String, String> env;
    private RegistryCli cli;

    @BeforeEach
    void setUp() {
        cli = new RegistryCli(tmp);
        env = cli.env;
    }

    private Run run(String... args) {
        return cli.run(args);
    }

    private void photo(String name, String... seeds) throws Exception {
        Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(tmp.resolve("photos").resolve(name), String.join("\n", seeds) + "\n");
    }

    @Test
    void csvRowsAreAllOrNothingAndEveryRefusalIsNamed() throws Exception {
        assertThat(run("registry", "init").code()).isZero();
        photo("ana.txt", "1");
        photo("bea1.txt", "2");
        photo("bea2.txt", "3");
        photo("group.txt", "4", "5");
        photo("cleo.txt", "6");
        photo("dan.txt", "7");
        Files.writeString(tmp.resolve("evidence.pdf"), "signed form");
        Files.writeString(tmp.resolve("people.csv"), String.join("\n",
                "id,name,photos,face,purposes,from,until,basis,evidence",
                "ana,Ana,photos/ana.txt,,training;evaluation,2026-01-01,2027-01-01,GDPR Art. 9(2)(a),evidence.pdf",
                "bea,\"Bea, B.\",photos/bea1.txt;photos/bea2.txt,,training,,,,",
                "gus,Gus,photos/group.txt,,training,,,,",
                "cleo,Cleo,photos/cleo.txt,,swimming,,,,",
                "dan,Dan,photos/dan.txt,,training,2026-13-01,,,",
                "eve,Eve,photos/missing.txt,,,,,,",
                "ana,Ana again,photos/cleo.txt,,,,,,",
                "gus2,Gus,photos/group.txt,2,training,,,,",
                "broken,\"unclosed,photos/ana.txt,,,,,,",
                ""));
        Run r = run("subject", "import", tmp.resolve("people.csv").toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(r.out()).contains("imported 3 of 9 subject(s) with 4 consent(s); 6 refused");
        String manifest = tmp.resolve("people.csv").toString();
        assertThat(r.err()).contains("likeness: " + manifest + ":4: gus: ")
                .contains("2 faces found")
                .contains(manifest + ":5: cleo: unknown purpose 'swimming'")
                .contains(manifest + ":6: dan: from '2026-13-01' is not a date")
                .contains(manifest + ":7: eve: ").contains("missing.txt: not a regular file")
                .contains(manifest + ":8: ana: subject 'ana' already exists")
                .contains(manifest + ":10: ").contains("a quoted cell is not closed");

        // refused rows wrote nothing: not the subject, not a consent
        assertThat(run("subject", "show", "gus").code()).isNotZero();
        assertThat(run("subject", "show", "cleo").code()).isNotZero();
        assertThat(run("subject", "show", "dan").code()).isNotZero();
        assertThat(run("consent", "list", "ana").out()).contains("2 consent record(s)");
        assertThat(run("consent", "status", "ana", "--purpose", "training", "--at", "2026-06-01").out()).contains("CONSENTED");
        assertThat(run("subject", "show", "bea").out()).contains("name      Bea, B.").contains("enrolments 2");
        assertThat(run("subject", "show", "gus2").out()).contains("enrolments 1");
        Run log = run("log", "verify");
        assertThat(log.code()).as(log.out() + log.err()).isZero();
        assertThat(run("log", "show").out()).contains("subject.import");
    }

    @Test
    void jsonLinesManifestAndJsonReport() throws Exception {
        assertThat(run("registry", "init").code()).isZero();
        photo("ana.txt", "11");
        photo("bea.txt", "12");
        Files.writeString(tmp.resolve("people.jsonl"), String.join("\n",
                "{\"id\":\"ana\",\"name\":\"Ana\",\"photos\":[\"photos/ana.txt\"],\"consents\":[{\"purpose\":\"training\",\"from\":\"2026-01-01\"}]}",
                "{\"id\":\"bea\",\"photos\":[\"photos/bea.txt\"],\"colour\":\"red\"}",
                "not json",
                ""));
        Run r = run("subject", "import", "--json", tmp.resolve("people.jsonl").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.SOME_FAILED);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("rows").asInt()).isEqualTo(3);
        assertThat(j.get("imported").asInt()).isEqualTo(1);
        assertThat(j.get("consents").asInt()).isEqualTo(1);
        assertThat(j.get("refused").get(0).get("line").asInt()).isEqualTo(2);
        assertThat(j.get("refused").get(0).get("reason").asText()).contains("unknown field 'colour'");
        assertThat(j.get("refused").get(1).get("line").asInt()).isEqualTo(3);
        assertThat(j.get("manifest_sha256").asText()).hasSize(64);
    }

    @Test
    void aManifestThatCannotBeReadExitsTwo() throws Exception {
        assertThat(run("registry", "init").code()).isZero();
        Files.writeString(tmp.resolve("bad.csv"), "id,photos,shoe_size\nana,a.txt,42\n");
        Run r = run("subject", "import", tmp.resolve("bad.csv").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains("unknown column 'shoe_size'");
        Run missing = run("subject", "import", tmp.resolve("nope.csv").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.err()).contains("nope.csv: not a readable file");
    }

    @Test
    void allRowsImportedExitsZero() throws Exception {
        assertThat(run("registry", "init").code()).isZero();
        photo("ana.txt", "21");
        Files.writeString(tmp.resolve("ok.csv"), "id,photos,purposes\nana,photos/ana.txt,training\n");
        Run r = run("subject", "import", tmp.resolve("ok.csv").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 1 of 1 subject(s) with 1 consent(s); 0 refused");
    }
}
