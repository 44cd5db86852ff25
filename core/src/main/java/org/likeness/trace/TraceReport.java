package org.likeness.trace;

import java.util.Locale;
import java.util.Map;

/** {@code report.html} of a trace: one self-contained page (inline CSS, no scripts, no external resources). */
public final class TraceReport {
    /** Rows of the per-photo table; the JSON has every photo. */
    static final int MAX_ROWS = 2000;

    private TraceReport() {
    }

    public static String html(TraceResult r, String command) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Likeness trace</title><style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222}main{max-width:1050px;margin:auto;padding:0 24px 40px}")
                .append(".verdict{padding:18px 24px;color:#fff;font-size:20px;font-weight:600}.leak{background:#c62828}.clean{background:#2e7d32}")
                .append(".cards{display:flex;gap:12px;flex-wrap:wrap;margin:18px 0}.card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:120px}")
                .append(".card b{display:block;font-size:22px}table{border-collapse:collapse;width:100%;margin:8px 0 20px}")
                .append("td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;font-size:13px}th{background:#fafafa}")
                .append("code,pre{background:#f4f4f4;padding:2px 4px}.named{color:#c62828;font-weight:600}</style></head><body>");
        boolean leak = !r.collections().isEmpty();
        String verdict;
        if (!r.recipients().isEmpty()) {
            Map.Entry<String, Integer> top = r.recipients().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            verdict = String.format(Locale.ROOT, "Leak traced: %d of %d photos carry the fingerprint of %s", top.getValue(), r.images().size(),
                    esc(top.getKey()));
        } else if (r.accusations().stream().anyMatch(TraceResult.Accusation::accused)) {
            TraceResult.Accusation a = r.accusations().stream().filter(TraceResult.Accusation::accused).findFirst().orElseThrow();
            verdict = String.format(Locale.ROOT, "Leak traced over the dataset: %s's fingerprint summed over %d photos (S %.1f)", esc(a.recipient()),
                    a.photosTested(), a.statistic());
        } else if (leak) {
            verdict = String.format(Locale.ROOT, "%d of %d photos are copies of registered collections; no recipient named",
                    r.collections().values().stream().mapToInt(Integer::intValue).sum(), r.images().size());
        } else {
            verdict = "No photo matches a registered collection";
        }
        h.append("<div class=\"verdict ").append(leak ? "leak" : "clean").append("\">").append(verdict).append("</div><main>");
        h.append("<div class=\"cards\">");
        card(h, "suspect photos", r.images().size());
        card(h, "copies by PDQ", r.matchedByPdq());
        card(h, "copies by PDQ candidate + alignment", r.matchedByPdqAligned());
        card(h, "copies by face + alignment", r.matchedByFace());
        card(h, "same person only", r.identityOnly());
        card(h, "unmatched", r.unmatched());
        card(h, "unreadable", r.failed());
        h.append("</div>");
        h.append("<h2>Collections</h2><table><tr><th>collection</th><th>photos copied</th><th>tested for fingerprints</th></tr>");
        r.collections().forEach((c, n) -> h.append("<tr><td>").append(esc(c)).append("</td><td>").append(n).append("</td><td>")
                .append(r.tested().getOrDefault(c, 0)).append("</td></tr>"));
        h.append("</table><h2>Recipients named</h2><p>A recipient is named for a photo only when its fingerprint statistic clears the"
                + " threshold that bounds a false accusation at 1e-6 per photo (Hoeffding bound, Bonferroni over the collection's recipients)."
                + " The count is the per-dataset evidence.</p><table><tr><th>recipient</th><th>photos carrying its mark</th></tr>");
        r.recipients().forEach((c, n) -> h.append("<tr><td class=\"named\">").append(esc(c)).append("</td><td>").append(n).append("</td></tr>"));
        h.append("</table><h2>Dataset evidence</h2><p>Each candidate's statistic summed over the photos of distinct originals, S = Σz/√m:"
                + " without its mark S is bounded like one photo's z, so S over the threshold accuses at a false-accusation bound of 1e-6 per"
                + " dataset — also when a coalition averaged its copies so that no single photo names anyone.</p>"
                + "<table><tr><th>recipient</th><th>photos named</th><th>photos summed</th><th>S</th><th>threshold</th><th>bound (log10)</th></tr>");
        for (TraceResult.Accusation a : r.accusations()) {
            if (a.accused() || a.statistic() >= 3) {
                h.append("<tr><td").append(a.accused() ? " class=\"named\"" : "").append(">").append(esc(a.recipient())).append("</td><td>")
                        .append(a.photosNamed()).append("</td><td>").append(a.photosTested()).append("</td><td>")
                        .append(String.format(Locale.ROOT, "%.1f</td><td>%.2f</td><td>%.1f", a.statistic(), a.threshold(), a.log10Bound()))
                        .append("</td></tr>");
            }
        }
        h.append("</table><h2>Photos</h2><table><tr><th>suspect photo</th><th>collection</th><th>original</th><th>PDQ</th><th>face</th>")
                .append("<th>recipient</th><th>z</th><th>p ≤</th><th>note</th></tr>");
        int rows = 0;
        for (TracedImage i : r.images()) {
            if (rows++ == MAX_ROWS) {
                h.append("<tr><td colspan=\"9\">… ").append(r.images().size() - MAX_ROWS).append(" more in the JSON (trace --json)</td></tr>");
                break;
            }
            h.append("<tr><td>").append(esc(i.path())).append("</td><td>").append(esc(i.collection())).append("</td><td>")
                    .append(esc(i.matchedPath())).append("</td><td>").append(i.pdqDistance() == null ? "" : i.pdqDistance()).append("</td><td>")
                    .append(i.identityMatch() == null ? "" : String.format(Locale.ROOT, "%.3f%s", i.identityMatch().similarity(),
                            i.identityMatch().samePhoto() ? " (same photo)" : " (same person)"))
                    .append("</td><td class=\"named\">").append(esc(i.recipient())).append("</td><td>")
                    .append(i.recipientZ() == null ? "" : String.format(Locale.ROOT, "%.1f", i.recipientZ())).append("</td><td>")
                    .append(i.recipientPValue() == null ? "" : i.recipientPValue() < 1e-300 ? "&lt; 1e-300"
                            : String.format(Locale.ROOT, "%.1e", i.recipientPValue())).append("</td><td>")
                    .append(esc(i.note())).append("</td></tr>");
        }
        h.append("</table><h2>Reproduce</h2><pre>").append(esc(command)).append("</pre></main></body></html>\n");
        return h.toString();
    }

    private static void card(StringBuilder h, String label, int n) {
        h.append("<div class=\"card\"><b>").append(n).append("</b>").append(label).append("</div>");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
