package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.likeness.SharedData;
import org.likeness.account.Role;
import org.likeness.cli.TestFaces;

/**
 * End to end over loopback HTTP with the real face pipeline, on H2 and PostgreSQL: enrol a subject from uploaded
 * lfw-dev photos, grant, check status, read the receipt, revoke, erase, and verify the log.
 */
class ServeEnrolTest {
    @TempDir
    Path tmp;

    static java.util.List<String> kinds() {
        return TestServer.kinds();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void enrolGrantRevokeReceiptEraseOverHttp(String kind) throws Exception {
        Path person = SharedData.require("lfw-dev/images/Aaron_Peirsol");
        try (TestServer s = TestServer.start(kind, tmp, new Faces(TestFaces::open), ServerConfig.DEFAULT_MAX_UPLOAD)) {
            s.organisation("acme");
            String key = s.account("holder", Role.HOLDER, "acme", null, false);

            TestServer.Multipart m = new TestServer.Multipart().field("id", "aaron").field("name", "Aaron P.").field("face", "1")
                    .file("photos", "Aaron_Peirsol_0001.jpg", Files.readAllBytes(person.resolve("Aaron_Peirsol_0001.jpg")))
                    .file("photos", "Aaron_Peirsol_0002.jpg", Files.readAllBytes(person.resolve("Aaron_Peirsol_0002.jpg")));
            TestServer.Reply enrol = s.postMultipart("/subjects", key, m);
            assertThat(enrol.status()).as(enrol.toString()).isEqualTo(201);
            assertThat(enrol.json().get("enrolments")).hasSize(2);
            assertThat(enrol.json().get("organisation").asText()).isEqualTo("acme");
            assertThat(enrol.json().at("/enrolments/0/dimensions").asInt()).isEqualTo(512);
            assertThat(s.registry.subjectOrganisation("aaron")).isEqualTo("acme");

            // an upload that is not a photo: one clear line naming the upload, not where the server spooled it
            TestServer.Reply junk = s.postMultipart("/subjects", key, new TestServer.Multipart().field("id", "junk")
                    .file("photos", "notes.jpg", "not a picture".getBytes()));
            assertThat(junk.status()).as(junk.toString()).isEqualTo(422);
            assertThat(junk.json().get("detail").asText()).contains("notes.jpg").doesNotContain(s.home.toString());

            TestServer.Reply grant = s.postJson("/subjects/aaron/consents", key, Map.of("purpose", "training", "from", "2024-01-01",
                    "legal_basis", "GDPR Art. 9(2)(a) explicit consent"));
            assertThat(grant.status()).as(grant.toString()).isEqualTo(201);
            long cid = grant.json().get("id").asLong();
            assertThat(grant.json().get("recorded_by").asText()).isEqualTo("account:holder");

            assertThat(s.get("/subjects/aaron/status?purpose=training", key).json().get("state").asText()).isEqualTo("CONSENTED");
            assertThat(s.get("/subjects/aaron/status?purpose=training&at=2023-06-01", key).json().get("state").asText())
                    .isEqualTo("NOT_YET_VALID");
            JsonNode receipt = s.get("/consents/" + cid + "/receipt", key).json();
            assertThat(receipt.get("record_id").asText()).isEqualTo("consent-" + cid);
            assertThat(receipt.get("state").asText()).isEqualTo("CONSENTED");
            assertThat(receipt.get("registry_log_head").asText()).hasSize(64);

            TestServer.Reply revoke = s.send("POST", "/consents/" + cid + "/revoke", TestServer.auth(key), null);
            assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);
            assertThat(revoke.json().at("/revoked/0/id").asLong()).isEqualTo(cid);
            assertThat(revoke.json().at("/impact/subject").asText()).isEqualTo("aaron");
            assertThat(s.get("/subjects/aaron/status?purpose=training", key).json().get("state").asText()).isEqualTo("REVOKED");
            assertThat(s.send("POST", "/consents/" + cid + "/revoke", TestServer.auth(key), null).status())
                    .as("revoking again").isEqualTo(409);
            assertThat(s.get("/consents/" + cid + "/receipt", key).json().get("state").asText()).isEqualTo("REVOKED");
            assertThat(s.get("/subjects/aaron/consents", key).json().get("items")).hasSize(1);

            TestServer.Reply erase = s.delete("/subjects/aaron", key);
            assertThat(erase.status()).as(erase.toString()).isEqualTo(200);
            assertThat(erase.json().get("templates_destroyed").asInt()).isEqualTo(2);
            JsonNode after = s.get("/subjects/aaron", key).json();
            assertThat(after.get("erased_at").isNull()).isFalse();
            assertThat(after.get("display_name").isNull()).isTrue();
            assertThat(after.get("enrolments")).isEmpty();

            JsonNode verify = s.get("/log/verify", key).json();
            assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
        }
    }
}
