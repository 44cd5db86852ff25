package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.account.Role;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;

/**
 * Attacks on tenancy over real HTTP that the authorisation matrix does not make: records of one organisation that
 * reach another through a report about a record the caller may see.
 */
class RedTeamTenancyTest {
    @TempDir
    static Path tmp;
    private static TestServer s;
    private static String acmeHolder;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("h2", tmp);
        acmeHolder = s.account("acme-holder", Role.HOLDER, "acme", null, false);
        s.subject("acme", "alice");
        s.organisation("globex");
        // globex registered a dataset that holds alice's face (identification runs against every enrolled subject)
        float[] template = new float[512];
        template[0] = 1;
        s.registry.addCollection("globex", "globex-secret-set", "Globex Ltd", "/srv/globex/private-dataset", "test-model",
                List.of(new CollectionImage("people/alice-at-the-globex-party.jpg", "a".repeat(64), null,
                        List.of(new CollectionFace(0, 1, 1, 10, 10, "alice", 0.9, template)))));
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static void assertNoGlobex(TestServer.Reply r) {
        assertThat(r.body()).as(r.toString()).doesNotContain("globex").doesNotContain("Globex").doesNotContain("/srv/")
                .doesNotContain("party");
    }

    @Test
    void theImpactOfOnesOwnSubjectNamesNoOtherOrganisationsCollection() {
        TestServer.Reply r = s.get("/subjects/alice/impact", acmeHolder);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertNoGlobex(r);
    }

    @Test
    void revocationAndErasureReportsNameNoOtherOrganisationsCollection() {
        TestServer.Reply granted = s.postJson("/subjects/alice/consents", acmeHolder, Map.of("purpose", "training"));
        assertThat(granted.status()).as(granted.toString()).isEqualTo(201);
        TestServer.Reply revoked = s.send("POST", "/consents/" + granted.json().get("id").asLong() + "/revoke",
                TestServer.auth(acmeHolder), null);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertNoGlobex(revoked);
        s.subject("acme", "dave");
        float[] template = new float[512];
        template[1] = 1;
        s.registry.addCollection("globex", "globex-other-set", "Globex Ltd", "/srv/globex/other", "test-model",
                List.of(new CollectionImage("dave-at-the-globex-party.jpg", "b".repeat(64), null,
                        List.of(new CollectionFace(0, 1, 1, 10, 10, "dave", 0.9, template)))));
        TestServer.Reply erased = s.delete("/subjects/dave", acmeHolder);
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
        assertNoGlobex(erased);
    }
}
