package org.likeness.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Decrypts every live template of one model once, unwrapping each subject's data key once. */
final class GalleryLoader {
    private GalleryLoader() {
    }

    /** Unwraps a subject's data key from its subject_key column (a key-store reference or a legacy wrapped key). */
    interface KeyUnwrapper {
        byte[] unwrap(byte[] column, String subjectId);
    }

    static TemplateGallery load(Connection c, KeyUnwrapper unwrapper, TemplateCipher cipher, String modelId, MatchPolicy policy,
                                TemplateGallery.Search search) throws SQLException {
        List<String> subjects = new ArrayList<>();
        List<float[]> templates = new ArrayList<>();
        Map<String, byte[]> keys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT e.id, e.subject_id, e.template, k.wrapped_key"
                + " FROM enrolment e JOIN subject_key k ON k.subject_id = e.subject_id"
                + " JOIN subject s ON s.id = e.subject_id"
                + " WHERE e.model_id = ? AND s.erased_at IS NULL ORDER BY e.id")) {
            ps.setString(1, modelId);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    String subject = rs.getString(2);
                    byte[] sealed = rs.getBytes(3);
                    byte[] wrapped = rs.getBytes(4);
                    byte[] key = keys.computeIfAbsent(subject, s -> unwrapper.unwrap(wrapped, s));
                    subjects.add(subject);
                    templates.add(cipher.decryptTemplate(key, sealed, subject, modelId, id));
                }
            }
        } finally {
            keys.values().forEach(k -> Arrays.fill(k, (byte) 0));
        }
        float[][] arr = templates.toArray(float[][]::new);
        try {
            return TemplateGallery.of(modelId, policy, subjects.toArray(String[]::new), arr, search);
        } finally {
            for (float[] t : arr) {
                Arrays.fill(t, 0f);
            }
        }
    }
}
