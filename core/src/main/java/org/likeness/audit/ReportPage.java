package org.likeness.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * report.html: one self-contained page (no external files or scripts): verdict, summary cards, three bar charts as
 * inline SVG, a gallery per identity with thumbnails (blurred unless the operator asked otherwise), failures, and the
 * command that reproduces the run.
 */
public final class ReportPage {
    /** Identities shown in the gallery (largest first); the JSON has them all. */
    static final int MAX_IDENTITIES_SHOWN = 200;
    /** Thumbnails per identity. */
    static final int MAX_THUMBS = 8;

    /**
     * The Content-Security-Policy a server sends with report.html: the page is self-contained (its style inline, its
     * thumbnails data URIs) and has no script, so nothing may run and nothing may be fetched.
     */
    public static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none';"
            + " base-uri 'none'; form-action 'none'";

    /** Thumbnails as data URIs, by finding index; missing ones are drawn as grey tiles. */
    public interface Thumbnails {
        String dataUri(int findingIndex);
    }

    private ReportPage() {
    }

    /** Identities in gallery order: largest first (ties in the audit's order). */
    static List<Identity> galleryOrder(AuditResult a) {
        List<Identity> ids = new ArrayList<>(a.identities());
        ids.sort((x, y) -> Integer.compare(y.faces(), x.faces()));
        return ids;
    }

    private static Map<Integer, List<Integer>> members(AuditResult a) {
        Map<Integer, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < a.faces().size(); i++) {
            members.computeIfAbsent(a.faces().get(i).identity(), k -> new ArrayList<>()).add(i);
        }
        return members;
    }

    /** The findings whose thumbnails the page shows: the first {@link #MAX_THUMBS} faces of the identities it shows. */
    public static java.util.Set<Integer> thumbnailsShown(AuditResult a) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        Map<Integer, List<Integer>> members = members(a);
        List<Identity> ids = galleryOrder(a);
        for (Identity id : ids.subList(0, Math.min(ids.size(), MAX_IDENTITIES_SHOWN))) {
            List<Integer> fs = members.getOrDefault(id.id(), List.of());
            out.addAll(fs.subList(0, Math.min(fs.size(), MAX_THUMBS)));
        }
        return out;
    }

    public static String html(AuditResult a, Thumbnails thumbs, boolean sharp, String command) {
        StringBuilder h = new StringBuilder(64 * 1024);
        boolean ok = a.allConsented();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Likeness audit</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;background:#fafafa}")
                .append(".verdict{padding:16px 20px;border-radius:8px;font-size:22px;font-weight:600;color:#fff}")
                .append(".ok{background:#2e7d32}.bad{background:#c62828}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}")
                .append(".card{background:#fff;border:1px solid #ddd;border-radius:8px;padding:10px 14px;min-width:110px}")
                .append(".card b{display:block;font-size:24px}.charts{display:flex;flex-wrap:wrap;gap:24px}")
                .append(".id{background:#fff;border:1px solid #ddd;border-radius:8px;padding:8px;margin:8px 0}")
                .append(".id img,.id .tile{width:72px;height:72px;margin:2px;border-radius:4px;object-fit:cover;background:#bbb;display:inline-block}")
                .append(".s-consented{color:#2e7d32}.s-unknown,.s-no_consent,.s-revoked,.s-expired,.s-not_yet_valid,.s-erased{color:#c62828}.s-not_assessable{color:#6d4c41}")
                .append(".charts figure{margin:0;flex:1 1 280px;max-width:360px}.charts svg{width:100%;height:auto}")
                // hashes and paths have no spaces: without a break anywhere a 64-hex log head is wider than a phone
                .append("code{background:#eee;padding:2px 4px;overflow-wrap:anywhere;word-break:break-all}")
                .append("@media (max-width:600px){body{margin:12px}.verdict{font-size:18px}}</style></head><body>");
        h.append("<div class=\"verdict ").append(ok ? "ok\">✔ Every face is covered by consent" : "bad\">✘ ")
                .append(ok ? "" : (a.faces().size() - a.count(AuditStatus.CONSENTED)) + " of " + a.faces().size()
                        + " faces may not be used").append(" for ").append(esc(a.purpose())).append(" at ").append(time(a.at()));
        if (!a.failures().isEmpty()) {
            h.append(" — ").append(a.failures().size()).append(" file(s) could not be checked");
        }
        h.append("</div><p>Dataset <code>").append(esc(a.dataset())).append("</code>, registry log head <code>")
                .append(esc(a.registryHead())).append("</code>, match threshold ").append(String.format(java.util.Locale.ROOT, "%.4f", a.threshold()))
                .append(" (set so that at most 0.1 % of strangers would be identified as a registered subject; below it a face is unknown, and unknown is not consented; a face too poor to identify — too small, blurred, turned away — is not assessable, and not consented either).</p><div class=\"cards\">");
        Map<String, Integer> summary = a.summary();
        for (String k : List.of("images", "faces", "identities", "consented", "no_consent", "revoked", "expired", "not_assessable", "unknown", "failed")) {
            if (k.equals(AuditStatus.NOT_ASSESSABLE.word()) && summary.get(k) == 0) {
                continue; // shown only when the probe quality gate set a face aside: earlier reports read the same
            }
            h.append("<div class=\"card\"><b>").append(summary.get(k)).append("</b>").append(k.replace('_', ' ')).append("</div>");
        }
        h.append("</div><div class=\"charts\">");
        Map<String, Integer> status = new LinkedHashMap<>();
        AuditStatus.ALL.stream().filter(s -> s != AuditStatus.NOT_ASSESSABLE || a.count(s) > 0)
                .forEach(s -> status.put(s.word().replace('_', ' '), a.count(s)));
        h.append(bars("Faces by status", status));
        Map<String, Integer> perIdentity = new TreeMap<>();
        a.identities().forEach(i -> perIdentity.merge(bucket(i.faces()), 1, Integer::sum));
        h.append(bars("Identities by photos", sortBuckets(perIdentity)));
        Map<String, Integer> perImage = new TreeMap<>();
        Map<String, Integer> facesIn = new LinkedHashMap<>();
        a.faces().forEach(f -> facesIn.merge(f.path(), 1, Integer::sum));
        int images = a.imageCount() - a.failedCount();
        int withFaces = facesIn.size();
        if (images > withFaces) {
            perImage.put(bucket(0), images - withFaces);
        }
        facesIn.values().forEach(n -> perImage.merge(bucket(n), 1, Integer::sum));
        h.append(bars("Images by faces", sortBuckets(perImage)));
        h.append("</div><h2>Identities</h2><p>").append(sharp ? "Faces are shown sharp (--show-faces)."
                : "Faces are blurred; run with <code>--show-faces</code> to see them.").append("</p>");
        List<Identity> ids = galleryOrder(a);
        Map<Integer, List<Integer>> members = members(a);
        for (Identity id : ids.subList(0, Math.min(ids.size(), MAX_IDENTITIES_SHOWN))) {
            h.append("<div class=\"id\"><b>Identity ").append(id.id()).append("</b> — ").append(id.faces()).append(" face(s), ")
                    .append(id.subject() == null ? "not registered" : "subject <code>" + esc(id.subject()) + "</code>")
                    .append(", <span class=\"s-").append(id.status().word()).append("\">").append(id.status().word().replace('_', ' ')).append("</span><br>");
            List<Integer> fs = members.getOrDefault(id.id(), List.of());
            for (int i : fs.subList(0, Math.min(fs.size(), MAX_THUMBS))) {
                String uri = thumbs.dataUri(i);
                String title = esc(a.faces().get(i).path());
                h.append(uri == null ? "<span class=\"tile\" title=\"" + title + "\"></span>"
                        : "<img alt=\"face\" title=\"" + title + "\" src=\"" + uri + "\">");
            }
            h.append("</div>");
        }
        if (ids.size() > MAX_IDENTITIES_SHOWN) {
            h.append("<p>… ").append(ids.size() - MAX_IDENTITIES_SHOWN).append(" more identities in findings.json.</p>");
        }
        h.append("<h2>Failures</h2>");
        if (a.failures().isEmpty()) {
            h.append("<p>None: every file was read.</p>");
        } else {
            h.append("<ul>");
            a.failures().forEach(f -> h.append("<li><code>").append(esc(f.path())).append("</code>: ").append(esc(f.reason())).append("</li>"));
            h.append("</ul>");
        }
        h.append("<h2>Reproduce</h2><p><code>").append(esc(command)).append("</code></p><p>Models: ")
                .append(esc(a.models().toString())).append("</p></body></html>\n");
        return h.toString();
    }

    /** A date and time a person reads (29 Nov 2026, 19:45:44 UTC); the exact instant stays in the datetime attribute. */
    static String time(java.time.Instant at) {
        return "<time datetime=\"" + esc(at.toString()) + "\">" + READABLE.format(at) + "</time>";
    }

    private static final java.time.format.DateTimeFormatter READABLE = java.time.format.DateTimeFormatter
            .ofPattern("d MMM uuuu, HH:mm:ss 'UTC'", java.util.Locale.ENGLISH).withZone(java.time.ZoneOffset.UTC);

    private static String bucket(int n) {
        return n >= 10 ? "10+" : Integer.toString(n);
    }

    private static Map<String, Integer> sortBuckets(Map<String, Integer> m) {
        Map<String, Integer> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted((x, y) -> Integer.compare(order(x.getKey()), order(y.getKey())))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static int order(String bucket) {
        return bucket.equals("10+") ? 10 : Integer.parseInt(bucket);
    }

    /** Chart geometry (SVG user units): labels left of {@link #BAR_X}, bars up to {@link #BAR_MAX} long. */
    static final int CHART_W = 360, BAR_X = 100, BAR_MAX = 200;

    /**
     * A horizontal bar chart as inline SVG that scales down with the page (viewBox). The longest bar leaves
     * {@code CHART_W - BAR_X - BAR_MAX} = 60 units for its count: six digits at font size 12.
     */
    static String bars(String title, Map<String, Integer> values) {
        int max = Math.max(1, values.values().stream().mapToInt(Integer::intValue).max().orElse(1));
        int rowH = 22;
        int height = values.size() * rowH + 4;
        StringBuilder s = new StringBuilder("<figure><figcaption><b>").append(esc(title)).append("</b></figcaption><svg viewBox=\"0 0 ")
                .append(CHART_W).append(' ').append(height).append("\" width=\"").append(CHART_W).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append(": ");
        s.append(esc(String.join(", ", values.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()))).append("\">");
        int y = 2;
        for (Map.Entry<String, Integer> e : values.entrySet()) {
            int w = (int) Math.round((double) BAR_MAX * e.getValue() / max);
            s.append("<text x=\"0\" y=\"").append(y + 15).append("\" font-size=\"12\">").append(esc(e.getKey())).append("</text>")
                    .append("<rect x=\"").append(BAR_X).append("\" y=\"").append(y + 3).append("\" width=\"").append(w)
                    .append("\" height=\"16\" fill=\"#5c6bc0\"></rect>")
                    .append("<text class=\"count\" x=\"").append(BAR_X + 6 + w).append("\" y=\"").append(y + 15)
                    .append("\" font-size=\"12\">").append(e.getValue()).append("</text>");
            y += rowH;
        }
        return s.append("</svg></figure>").toString();
    }

    /**
     * HTML text or attribute value from a dataset's names: bidirectional overrides and control characters are shown
     * as {@code \\uXXXX} first (an HTML entity would still reverse "rtl\u202egpj.exe" into "rtlexe.jpg"), then escaped.
     */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        s = org.likeness.files.TerminalText.escape(s);
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
