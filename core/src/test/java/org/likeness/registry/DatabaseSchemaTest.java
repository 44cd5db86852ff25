package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The schema version an open trusts without running Flyway is the newest migration that ships. */
class DatabaseSchemaTest {
    @Test
    void schemaVersionIsTheNewestMigration() throws Exception {
        int newest;
        try (Stream<Path> s = Files.list(Path.of("src/main/resources/db/migration"))) {
            newest = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertThat(Database.SCHEMA_VERSION).isEqualTo(newest);
    }
}
