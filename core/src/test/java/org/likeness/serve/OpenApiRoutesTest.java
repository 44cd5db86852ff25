package org.likeness.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at /api/v1/openapi.json against the real routes: every registered route is documented,
 * every documented operation is answered by the server's router (not "no such route"), and the document is
 * well-formed OpenAPI 3.1 in the parts a client generator reads.
 */
class OpenApiRoutesTest {
    @TempDir
    static Path tmp;
    private static TestServer s;
    private static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start("h2", tmp);
        TestServer.Reply r = s.get("/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        doc = r.json();
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    private static Set<String> documented() {
        Set<String> out = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> out.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey()));
        }
        return out;
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedRouteIsRegistered() {
        Set<String> registered = new TreeSet<>();
        s.server.routes().forEach(r -> registered.add(r.name()));
        assertThat(documented()).isEqualTo(registered);
    }

    @Test
    void everyDocumentedOperationIsAnsweredByTheServersRouter() {
        for (String op : documented()) {
            String[] parts = op.split(" ", 2);
            String path = parts[1].replaceAll("\\{[A-Za-z]+}", "1");
            TestServer.Reply r = s.send(parts[0], path, Map.of(), null);
            assertThat(r.body()).as(op).doesNotContain("urn:likeness:problem:no-route")
                    .doesNotContain("urn:likeness:problem:method-not-allowed");
            assertThat(r.status()).as(op + ": public routes answer, the others ask for credentials")
                    .isIn(200, 400, 401, 415);
        }
        // and the router does say so for what is not documented
        assertThat(s.get("/not-a-route", null).json().get("type").asText()).isEqualTo("urn:likeness:problem:no-route");
    }

    @Test
    void theDocumentIsWellFormedOpenApi31() {
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.at("/info/title").asText()).isNotEmpty();
        assertThat(doc.at("/info/version").asText()).isNotEmpty();
        Set<String> operationIds = new HashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            JsonNode op = m.getValue();
            String name = m.getKey() + " " + p.getKey();
            assertThat(operationIds.add(op.get("operationId").asText())).as("unique operationId of " + name).isTrue();
            assertThat(op.get("responses").size()).as(name).isPositive();
            assertThat(op.at("/responses/default/content/application~1problem+json")).as(name).isNotNull();
            // every {param} of the template is declared as a required path parameter, and nothing else is
            Set<String> declared = new TreeSet<>();
            if (op.has("parameters")) {
                op.get("parameters").forEach(par -> {
                    if (par.get("in").asText().equals("path")) {
                        assertThat(par.get("required").asBoolean()).as(name).isTrue();
                        declared.add(par.get("name").asText());
                    }
                });
            }
            assertThat(declared).as(name).isEqualTo(new TreeSet<>(OpenApi.pathParams(p.getKey())));
            for (JsonNode sec : op.get("security")) {
                sec.fieldNames().forEachRemaining(scheme ->
                        assertThat(doc.at("/components/securitySchemes/" + scheme).isMissingNode()).as(name + " " + scheme).isFalse());
            }
            op.findValues("$ref").forEach(ref -> assertThat(doc.at(ref.asText().substring(1)).isMissingNode())
                    .as(name + " " + ref).isFalse());
        }));
    }
}
