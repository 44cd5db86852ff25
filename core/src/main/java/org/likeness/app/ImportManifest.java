package org.likeness.app;

import org.likeness.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.likeness.registry.InvalidInputException;

/**
 * Reads a bulk-import manifest (docs/FORMATS.md, "Subject import manifest"): CSV with a header, or JSON Lines. Photo
 * and evidence paths are relative to the manifest's folder unless absolute. A line that does not parse is refused with
 * its line number; a header that cannot be understood refuses the whole manifest.
 */
public final class ImportManifest {
    /** CSV columns; {@code id} and {@code photos} are required, the rest optional. Lists inside a cell use ';'. */
    static final List<String> CSV_COLUMNS = List.of("id", "name", "photos", "face", "purposes", "from", "until", "basis",
            "evidence");
    private static final Set<String> JSON_FIELDS = Set.of("id", "name", "photos", "face", "consents");
    private static final Set<String> JSON_CONSENT_FIELDS = Set.of("purpose", "from", "until", "basis", "evidence");
    private static final ObjectMapper JSON = Json.MAPPER;

    /** Rows to import and lines refused while reading. */
    public record Parsed(List<ImportRow> rows, List<ImportReport.Refusal> refused) {
    }

    private ImportManifest() {
    }

    public static Parsed read(Path manifest) throws IOException {
        Path base = manifest.toAbsolutePath().getParent();
        List<String> lines;
        try (BufferedReader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            lines = r.lines().toList();
        } catch (java.io.UncheckedIOException e) {
            throw new InvalidInputException("manifest " + manifest + ": not UTF-8 text");
        }
        String first = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("");
        boolean json = manifest.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jsonl|ndjson)")
                || first.stripLeading().startsWith("{");
        return json ? jsonLines(manifest, base, lines) : csv(manifest, base, lines);
    }

    private static Parsed jsonLines(Path manifest, Path base, List<String> lines) {
        List<ImportRow> rows = new ArrayList<>();
        List<ImportReport.Refusal> refused = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int line = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                rows.add(jsonRow(base, line, JSON.readTree(lines.get(i))));
            } catch (IOException | IllegalArgumentException e) {
                refused.add(new ImportReport.Refusal(line, null, "not a JSON object: " + firstLine(e.getMessage())));
            } catch (RowFormatException e) {
                refused.add(new ImportReport.Refusal(line, e.id, e.getMessage()));
            }
        }
        return new Parsed(rows, refused);
    }

    private static ImportRow jsonRow(Path base, int line, JsonNode n) {
        if (!n.isObject()) {
            throw new RowFormatException(null, "not a JSON object");
        }
        String id = text(n, "id");
        for (var it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!JSON_FIELDS.contains(f)) {
                throw new RowFormatException(id, "unknown field '" + f + "' (fields: " + String.join(", ", JSON_FIELDS) + ")");
            }
        }
        List<Path> photos = new ArrayList<>();
        JsonNode p = n.path("photos");
        if (!p.isMissingNode() && !p.isArray()) {
            throw new RowFormatException(id, "photos must be a list of paths");
        }
        p.forEach(x -> photos.add(base.resolve(x.asText())));
        Integer face = null;
        if (n.has("face") && !n.get("face").isNull()) {
            if (!n.get("face").canConvertToInt()) {
                throw new RowFormatException(id, "face must be a whole number");
            }
            face = n.get("face").asInt();
        }
        List<ImportRow.Consent> consents = new ArrayList<>();
        JsonNode cs = n.path("consents");
        if (!cs.isMissingNode() && !cs.isArray()) {
            throw new RowFormatException(id, "consents must be a list of objects");
        }
        for (JsonNode c : cs) {
            for (var it = c.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!JSON_CONSENT_FIELDS.contains(f)) {
                    throw new RowFormatException(id, "unknown consent field '" + f + "' (fields: "
                            + String.join(", ", JSON_CONSENT_FIELDS) + ")");
                }
            }
            String evidence = text(c, "evidence");
            consents.add(new ImportRow.Consent(text(c, "purpose"), text(c, "from"), text(c, "until"), text(c, "basis"),
                    evidence == null ? null : base.resolve(evidence)));
        }
        return new ImportRow(line, id, text(n, "name"), photos, face, consents);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Parsed csv(Path manifest, Path base, List<String> lines) {
        if (lines.isEmpty()) {
            return new Parsed(List.of(), List.of());
        }
        List<String> header = Csv.split(lines.get(0)).stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (!CSV_COLUMNS.contains(header.get(i))) {
                throw new InvalidInputException("manifest " + manifest + ": unknown column '" + header.get(i)
                        + "' (columns: " + String.join(", ", CSV_COLUMNS) + ")");
            }
            if (at.put(header.get(i), i) != null) {
                throw new InvalidInputException("manifest " + manifest + ": column '" + header.get(i) + "' twice");
            }
        }
        for (String required : List.of("id", "photos")) {
            if (!at.containsKey(required)) {
                throw new InvalidInputException("manifest " + manifest + ": no '" + required + "' column (header: "
                        + String.join(",", header) + ")");
            }
        }
        List<ImportRow> rows = new ArrayList<>();
        List<ImportReport.Refusal> refused = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            int line = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                List<String> cells = Csv.split(lines.get(i));
                if (cells.size() != header.size()) {
                    throw new RowFormatException(cells.isEmpty() ? null : cell(cells, at, "id"), cells.size()
                            + " cells, the header has " + header.size());
                }
                rows.add(csvRow(base, line, cells, at));
            } catch (RowFormatException e) {
                refused.add(new ImportReport.Refusal(line, e.id, e.getMessage()));
            }
        }
        return new Parsed(rows, refused);
    }

    private static ImportRow csvRow(Path base, int line, List<String> cells, Map<String, Integer> at) {
        String id = cell(cells, at, "id");
        List<Path> photos = list(cell(cells, at, "photos")).stream().map(base::resolve).toList();
        Integer face = null;
        String f = cell(cells, at, "face");
        if (f != null) {
            try {
                face = Integer.parseInt(f);
            } catch (NumberFormatException e) {
                throw new RowFormatException(id, "face '" + f + "' is not a whole number");
            }
        }
        String evidence = cell(cells, at, "evidence");
        List<ImportRow.Consent> consents = new ArrayList<>();
        for (String purpose : list(cell(cells, at, "purposes"))) {
            consents.add(new ImportRow.Consent(purpose, cell(cells, at, "from"), cell(cells, at, "until"),
                    cell(cells, at, "basis"), evidence == null ? null : base.resolve(evidence)));
        }
        return new ImportRow(line, id, cell(cells, at, "name"), photos, face, consents);
    }

    private static String cell(List<String> cells, Map<String, Integer> at, String column) {
        Integer i = at.get(column);
        if (i == null || i >= cells.size()) {
            return null;
        }
        String v = cells.get(i).trim();
        return v.isEmpty() ? null : v;
    }

    private static List<String> list(String cell) {
        return cell == null ? List.of() : Arrays.stream(cell.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** A line whose shape is wrong: refuses that line. */
    private static final class RowFormatException extends RuntimeException {
        final String id;

        RowFormatException(String id, String message) {
            super(message);
            this.id = id;
        }
    }

    /** RFC 4180 fields of one line: commas separate, double quotes enclose, {@code ""} is a quote inside quotes. */
    static final class Csv {
        private Csv() {
        }

        static List<String> split(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        cell.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    out.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(ch);
                }
            }
            if (quoted) {
                throw new RowFormatException(null, "a quoted cell is not closed");
            }
            out.add(cell.toString());
            return out;
        }
    }
}
