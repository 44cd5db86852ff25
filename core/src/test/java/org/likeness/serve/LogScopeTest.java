package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.account.Role;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.Purpose;

/** {@code GET /log} over HTTP: an auditor sees its organisation's entries only, on every page; an admin sees all. */
class LogScopeTest {
    @TempDir
    Path tmp;

    @Test
    void anAuditorPagesThroughItsOwnOrganisationsEntriesOnly() throws Exception {
        try (TestServer s = TestServer.start("h2", tmp)) {
            String holderA = s.account("holder-a", Role.HOLDER, "org-a", null, false);
            String holderB = s.account("holder-b", Role.HOLDER, "org-b", null, false);
            String auditorA = s.account("auditor-a", Role.AUDITOR, "org-a", null, false);
            String admin = s.account("root", Role.ADMIN, "org-admin", null, false);
            for (String org : List.of("org-a", "org-b")) {
                for (int i = 0; i < 3; i++) {
                    String id = org + "-person-" + i;
                    s.subject(org, id);
                    s.registry.grant(new ConsentGrant(id, Purpose.TRAINING, Instant.parse("2024-01-01T00:00:00Z"), null, "test", null));
                }
                s.registry.addCollection(org, org + "-photos", "owner", "/data/" + org, "test-model", List.of());
            }
            // reads of personal data by each organisation's staff (access.read, actor account:NAME)
            assertThat(s.get("/subjects/org-a-person-0", holderA).status()).isEqualTo(200);
            assertThat(s.get("/subjects/org-b-person-0", holderB).status()).isEqualTo(200);

            List<JsonNode> all = pages(s, admin, 200);
            List<JsonNode> seen = pages(s, auditorA, 2);
            assertThat(pages(s, auditorA, 200)).as("the same entries whatever the page size").isEqualTo(seen);

            assertThat(all).anyMatch(e -> e.get("action").asText().equals("registry.init"))
                    .anyMatch(e -> e.get("payload").asText().contains("org-b-person-0"));
            assertThat(seen).as("org-a's subjects, consents, collection, accounts and its holder's read")
                    .anyMatch(e -> e.get("action").asText().equals("subject.add") && e.get("payload").asText().contains("org-a-person-2"))
                    .anyMatch(e -> e.get("action").asText().equals("consent.grant") && e.get("payload").asText().contains("org-a-person-1"))
                    .anyMatch(e -> e.get("action").asText().equals("collection.add") && e.get("payload").asText().contains("org-a-photos"))
                    .anyMatch(e -> e.get("action").asText().equals("account.add") && e.get("payload").asText().contains("org-a"))
                    .anyMatch(e -> e.get("action").asText().equals("access.read") && e.get("actor").asText().equals("account:holder-a"));
            assertThat(seen).as("nothing of org-b, nor the registry's own events")
                    .noneMatch(e -> e.toString().contains("org-b") || e.toString().contains("holder-b"))
                    .noneMatch(e -> e.get("action").asText().equals("registry.init"));
            assertThat(seen.size()).isLessThan(all.size());
        }
    }

    /** Every entry the caller may see, page by page. */
    private static List<JsonNode> pages(TestServer s, String key, int limit) {
        List<JsonNode> out = new ArrayList<>();
        String after = null;
        for (int guard = 0; guard < 1000; guard++) {
            TestServer.Reply r = s.get("/log?limit=" + limit + (after == null ? "" : "&after=" + after), key);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            r.json().get("items").forEach(out::add);
            JsonNode next = r.json().get("next");
            if (next == null || next.isNull()) {
                return out;
            }
            after = next.asText();
        }
        throw new AssertionError("the log's pages do not end");
    }
}
