package org.likeness.registry;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which H2 open failures mean "another process is opening the file right now" (wait and retry) — met with four CLI
 * processes started at once (`subject add` ×2, `watch --once`, `consent grant`): one failed at once with H2's "Lock
 * file recently modified" instead of waiting.
 */
class OpenWaitTest {
    @Test
    void aLockFileTouchedAMomentAgoIsWaitedFor() {
        SQLException lock = new SQLException("Error opening database: \"Lock file recently modified\" [8000-232]", "HY000", 8000);
        assertThat(Database.inUse(new RuntimeException(lock))).isTrue();
        assertThat(Database.inUse(new SQLException("Database may be already in use", "HY000", 90020))).isTrue();
        assertThat(Database.inUse(new SQLException("Error opening database: \"disk full\"", "HY000", 8000))).isFalse();
        assertThat(Database.inUse(new SQLException("Wrong user name or password", "28000", 28000))).isFalse();
    }
}
