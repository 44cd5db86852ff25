package org.likeness.registry;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The job table. Each change is one transaction, committed like every registry write before it returns (a job's state
 * survives a SIGKILL once acknowledged; an autocommit statement on H2 was lost by a kill in JobEngineTest), but
 * appends nothing to the hash-chained log: a job's state is bookkeeping, and what a job does to the registry is logged
 * by the use case it runs.
 */
public final class JobRecords {
    private static final String COLUMNS = "id, kind, state, org, account_id, request, folder, done_count, total_count, stage,"
            + " problems, result, error, attempts, created_at, started_at, finished_at";

    /** Written to no log entry (nothing is appended); the write lock needs a name. */
    private static final String ACTOR = "jobs";
    private final Database db;

    JobRecords(Database db) {
        this.db = db;
    }

    public void insert(JobRow j) {
        db.write(ACTOR, (c, log) -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setString(1, j.id());
                ps.setString(2, j.kind());
                ps.setString(3, j.state());
                ps.setString(4, j.org());
                ps.setString(5, j.accountId());
                ps.setString(6, j.request());
                ps.setString(7, j.folder());
                ps.setLong(8, j.done());
                ps.setLong(9, j.total());
                ps.setString(10, j.stage());
                ps.setLong(11, j.problems());
                ps.setString(12, j.result());
                ps.setString(13, j.error());
                ps.setInt(14, j.attempts());
                ps.setObject(15, time(j.createdAt()));
                ps.setObject(16, time(j.startedAt()));
                ps.setObject(17, time(j.finishedAt()));
                return ps.executeUpdate();
            }
        });
    }

    public JobRow find(String id) {
        List<JobRow> r = query("SELECT " + COLUMNS + " FROM job WHERE id = ?", id);
        return r.isEmpty() ? null : r.get(0);
    }

    /** Jobs of {@code org} (every organisation's when null), newest first, {@code limit} from {@code offset}. */
    public List<JobRow> list(String org, int offset, int limit) {
        if (org == null) {
            return query("SELECT " + COLUMNS + " FROM job ORDER BY created_at DESC, id LIMIT " + limit + " OFFSET " + offset);
        }
        return query("SELECT " + COLUMNS + " FROM job WHERE org = ? ORDER BY created_at DESC, id LIMIT " + limit + " OFFSET " + offset, org);
    }

    /** Jobs in {@code state}, oldest first. */
    public List<JobRow> inState(String state) {
        return query("SELECT " + COLUMNS + " FROM job WHERE state = ? ORDER BY created_at, id", state);
    }

    /**
     * Moves a job from {@code from} to {@code to} (and sets the fields given, null leaving one as it is); false when it
     * was not in {@code from} (cancelled meanwhile, or taken by another worker).
     */
    public boolean transition(String id, String from, String to, Instant startedAt, Instant finishedAt, String result, String error,
                              boolean countAttempt) {
        return db.write(ACTOR, (c, log) -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE job SET state = ?, started_at = COALESCE(?, started_at),"
                    + " finished_at = COALESCE(?, finished_at), result = COALESCE(?, result), error = COALESCE(?, error),"
                    + " attempts = attempts + ? WHERE id = ? AND state = ?")) {
                ps.setString(1, to);
                ps.setObject(2, time(startedAt));
                ps.setObject(3, time(finishedAt));
                ps.setString(4, result);
                ps.setString(5, error);
                ps.setInt(6, countAttempt ? 1 : 0);
                ps.setString(7, id);
                ps.setString(8, from);
                return ps.executeUpdate() == 1;
            }
        });
    }

    public void progress(String id, String stage, long done, long total, long problems) {
        db.write(ACTOR, (c, log) -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE job SET stage = ?, done_count = ?, total_count = ?, problems = ? WHERE id = ?")) {
                ps.setString(1, stage);
                ps.setLong(2, done);
                ps.setLong(3, total);
                ps.setLong(4, problems);
                ps.setString(5, id);
                return ps.executeUpdate();
            }
        });
    }

    private List<JobRow> query(String sql, String... args) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                List<JobRow> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new JobRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getString(10), rs.getLong(11),
                                rs.getString(12), rs.getString(13), rs.getInt(14), instant(rs, 15), instant(rs, 16), instant(rs, 17)));
                    }
                }
                return out;
            }
        });
    }

    private static OffsetDateTime time(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

}
