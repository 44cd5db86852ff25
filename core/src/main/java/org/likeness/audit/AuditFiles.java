package org.likeness.audit;

import org.likeness.json.Json;
import org.likeness.scan.OutputTree;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** findings.json and findings.csv (docs/FORMATS.md). */
public final class AuditFiles {
    private AuditFiles() {
    }

    public static Map<String, Object> json(AuditResult a) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("dataset", a.dataset());
        o.put("purpose", a.purpose());
        o.put("at", a.at().toString());
        o.put("models", a.models());
        o.put("match_threshold", a.threshold());
        o.put("registry_head", a.registryHead());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.putAll(a.summary());
        o.put("summary", summary);
        o.put("verdict", a.allConsented() ? "all faces consented" : "faces without consent");
        List<Map<String, Object>> faces = new ArrayList<>();
        for (Finding f : a.faces()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("box", List.of(f.box().x(), f.box().y(), f.box().w(), f.box().h()));
            m.put("subject", f.subject());
            m.put("status", f.status().word());
            m.put("similarity", Math.round(f.similarity() * 10000) / 10000.0);
            m.put("identity", f.identity());
            m.put("decided_by", f.decidedBy());
            if (f.reason() != null) {
                m.put("reason", f.reason());
            }
            faces.add(m);
        }
        o.put("faces", faces);
        List<Map<String, Object>> ids = new ArrayList<>();
        for (Identity i : a.identities()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("faces", i.faces());
            m.put("subject", i.subject());
            m.put("status", i.status().word());
            ids.add(m);
        }
        o.put("identities", ids);
        o.put("failures", a.failures().stream().map(f -> Map.of("path", f.path(), "reason", f.reason())).toList());
        List<Map<String, Object>> images = new ArrayList<>();
        for (AuditResult.Image i : a.images()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", i.path());
            m.put("sha256", i.sha256());
            m.put("faces", i.faces());
            images.add(m);
        }
        o.put("images", images);
        return o;
    }

    public static void writeJson(AuditResult a, Path file) throws IOException {
        OutputTree.writeFile(file, Json.PRETTY.writeValueAsBytes(json(a)));
    }

    public static void writeCsv(AuditResult a, Path file) throws IOException {
        java.io.StringWriter text = new java.io.StringWriter();
        try (PrintWriter w = new PrintWriter(text)) {
            w.println("path,x,y,w,h,subject,status,similarity,identity,decided_by,reason");
            for (Finding f : a.faces()) {
                w.printf(java.util.Locale.ROOT, "%s,%.1f,%.1f,%.1f,%.1f,%s,%s,%.4f,%d,%s,%s%n", csv(f.path()), f.box().x(), f.box().y(),
                        f.box().w(), f.box().h(), f.subject() == null ? "" : csv(f.subject()), f.status().word(), f.similarity(),
                        f.identity(), f.decidedBy() == null ? "" : f.decidedBy(), f.reason() == null ? "" : csv(f.reason()));
            }
        }
        OutputTree.writeFile(file, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * One CSV cell from a dataset's text: control characters, separators and bidirectional overrides escaped as in
     * terminal output (no row can be broken, no terminal driven), a leading = + - @ made inert with ' (OWASP "CSV
     * injection"), then quoted when it holds a comma or a quote. findings.json keeps the exact names.
     */
    static String csv(String s) {
        s = org.likeness.files.TerminalText.escape(s);
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
