package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.time.Instant;
import org.likeness.account.Role;
import org.likeness.evidence.HolderKey;
import org.likeness.hashlist.HashListExport;
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
        s = TestServer.start("h2", tmp, new Faces(TestServer.FakeFaces::new), ServerConfig.DEFAULT_MAX_UPLOAD,
                List.of(new ScreenRoutes(() -> {
                    throw new java.io.IOException("no face models in this test");
                })));
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

    @Test
    void aHolderCannotFetchAnotherOrganisationsHashList() throws Exception {
        float[] template = new float[512];
        template[2] = 1;
        s.registry.addCollection("globex", "partner-listed", "Globex Ltd", "/srv/globex/listed", "test-model",
                List.of(new CollectionImage("listed.jpg", "c".repeat(64), "d".repeat(64), List.of())));
        new HashListExport(s.registry, s.home, HolderKey.loadOrCreate(s.home.resolve("registry")))
                .export(new HashListExport.Request("partner-list", List.of("partner-listed"), false, null,
                        HashListExport.DEFAULT_EXPIRY, null), Instant.now());
        String globexHolder = s.account("globex-holder", Role.HOLDER, "globex", null, false);
        String screener = s.account("market", Role.SCREENER, "market", null, false);
        assertThat(s.get("/hashlists/partner-list", globexHolder).status()).isEqualTo(200);
        assertThat(s.get("/hashlists/partner-list", screener).status()).isEqualTo(200);
        TestServer.Reply other = s.get("/hashlists/partner-list", acmeHolder);
        TestServer.Reply none = s.get("/hashlists/no-such-list", acmeHolder);
        assertThat(other.status()).as(other.toString()).isEqualTo(404);
        assertNoGlobex(other);
        assertThat(other.json().get("detail").asText()).isEqualTo(none.json().get("detail").asText().replace("no-such-list", "partner-list"));
        assertThat(s.get("/hashlists/partner-list?since=1", acmeHolder).status()).isEqualTo(404);
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
