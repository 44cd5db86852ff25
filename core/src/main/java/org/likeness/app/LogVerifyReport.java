package org.likeness.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.registry.InputText;
import org.likeness.registry.LogVerification;
import org.likeness.registry.RegistryVerification;
import org.likeness.registry.RowMismatch;

/** What {@code log verify} and {@code GET /api/v1/log/verify} say about a {@link RegistryVerification}. */
public record LogVerifyReport(RegistryVerification all) {
    public Map<String, Object> json() {
        LogVerification v = all.chain();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("intact", all.intact());
        json.put("chain_intact", v.intact());
        json.put("entries", v.entries());
        json.put("head", v.headHash());
        json.put("first_broken_seq", v.intact() ? null : v.firstBrokenSeq());
        json.put("reason", v.reason());
        json.put("head_file", all.headFile());
        json.put("head_file_problem", all.anchorProblem());
        json.put("row_mismatches", all.rows().stream().map(m -> Map.of("table", m.table(), "id", m.id(), "field", m.field(),
                "row", m.rowValue(), "logged", m.loggedValue())).toList());
        return json;
    }

    public String text() {
        LogVerification v = all.chain();
        List<String> lines = new ArrayList<>();
        lines.add(v.intact() ? (all.intact() ? "log intact: " : "log chain intact: ") + v.entries() + (v.entries() == 1 ? " entry" : " entries")
                + ", head " + v.headHash()
                : "log BROKEN at entry " + v.firstBrokenSeq() + ": " + v.reason());
        lines.add(all.anchorProblem() == null ? "head file " + all.headFile() + ": the database holds the entry it records"
                : "HEAD FILE MISMATCH: " + all.anchorProblem());
        for (RowMismatch m : all.rows()) {
            lines.add("ROW MISMATCH " + InputText.printable(m.toString()));
        }
        lines.add(all.rows().isEmpty() ? "rows: every subject, key, enrolment, consent, collection, account, API key and"
                + " allowed path row matches the log" : all.rows().size() + " row(s) differ from the log");
        lines.add(all.intact() ? "registry intact" : "registry NOT intact");
        return String.join("\n", lines);
    }
}
