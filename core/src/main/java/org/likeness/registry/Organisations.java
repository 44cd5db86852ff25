package org.likeness.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** The tenants: which organisation owns a subject or a collection. */
public final class Organisations {
    /** The organisation of everything made before tenants, and of everything the command line makes. */
    public static final String DEFAULT = "default";
    public static final int MAX_ID = 64;
    public static final int MAX_NAME = 256;
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private Organisations() {
    }

    /** Organisation ids: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit. */
    public static String checkId(String id) {
        InputText.required("organisation id", id, MAX_ID);
        if (!ID.matcher(id).matches()) {
            throw new InvalidInputException("organisation id '" + InputText.printable(InputText.abbreviate(id))
                    + "' may only hold lower-case letters, digits, '.', '_' and '-' (and starts with a letter or digit)");
        }
        return id;
    }

    static void require(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM organisation WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("organisation '" + id + "' does not exist");
                }
            }
        }
    }

    static String ofSubject(Connection c, String subjectId) throws SQLException {
        return one(c, "SELECT organisation_id FROM subject WHERE id = ?", subjectId);
    }

    static String ofCollection(Connection c, String name) throws SQLException {
        return one(c, "SELECT organisation_id FROM collection WHERE name = ?", name);
    }

    private static String one(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
