package org.likeness.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema 3's powers are verified against the log like consents: an admin account, an API key or an allowed path
 * inserted behind the registry's back, a revoked key un-revoked, a role raised, or a subject moved to another
 * organisation, is a row mismatch in `log verify`; the registry's own changes are not.
 */
class AccountRowsTamperTest {
    @TempDir
    Path tmp;

    static java.util.stream.Stream<String> kinds() {
        return TestDatabase.kinds();
    }

    private static void fill(TestDatabase db, MasterKey key) {
        Registry.init(db.location(), key, "tester");
        try (Registry r = Registry.open(db.location(), key, "tester")) {
            AccountStore a = r.accounts();
            a.addOrganisation("acme", "Acme");
            r.addSubject("acme", "alice", "Alice", TestVectors.MODEL, List.of(TestVectors.face(1)), List.of());
            a.addAccount("acc-1", "holder", "acme", "holder", null, null);
            a.addKey("key1", "acc-1", "holder", "machine", "0".repeat(64));
            a.addKey("key2", "acc-1", "holder", "old", "1".repeat(64));
            a.revokeKey("key2");
            a.addAllowedPath("acme", "/srv/datasets");
            r.addCollection("acme", "photos", "Acme", "/srv/datasets/photos", TestVectors.MODEL, List.of());
            RegistryVerification v = r.verify();
            assertThat(v.intact()).as(String.valueOf(v.problem())).isTrue();
        }
    }

    private static void tamper(TestDatabase db, MasterKey key, String sql, String table, String id, String field) throws Exception {
        try (Connection c = db.connect(key); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        try (Registry r = Registry.open(db.location(), key, "auditor")) {
            RegistryVerification v = r.verify();
            assertThat(v.intact()).as(sql).isFalse();
            assertThat(v.rows()).as(sql).anySatisfy(m -> {
                assertThat(m.table()).isEqualTo(table);
                assertThat(m.id()).isEqualTo(id);
                assertThat(m.field()).isEqualTo(field);
            });
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anAdminInsertedBehindTheLogIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            tamper(db, key, "INSERT INTO account (id, name, organisation_id, role, failed_logins, created_at)"
                    + " VALUES ('evil', 'evil', 'default', 'admin', 0, CURRENT_TIMESTAMP)", "account", "evil", "row");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aRaisedRoleIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            tamper(db, key, "UPDATE account SET role = 'admin' WHERE id = 'acc-1'", "account", "acc-1", "role");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anUnrevokedKeyIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            tamper(db, key, "UPDATE api_key SET revoked_at = NULL WHERE id = 'key2'", "api_key", "key2", "revoked_at");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aSubjectMovedToAnotherOrganisationIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            tamper(db, key, "UPDATE subject SET organisation_id = 'default' WHERE id = 'alice'", "subject", "alice",
                    "organisation_id");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anAllowedPathWidenedBehindTheLogIsCaught(String kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind, tmp); MasterKey key = MasterKey.random()) {
            fill(db, key);
            tamper(db, key, "UPDATE allowed_path SET path = '/' WHERE organisation_id = 'acme'", "allowed_path", "1", "path");
        }
    }
}
