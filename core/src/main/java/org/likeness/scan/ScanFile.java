package org.likeness.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.likeness.face.Box;
import org.likeness.face.Embedding;
import org.likeness.face.Face;
import org.likeness.face.FaceQuality;
import org.likeness.face.Landmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/** The JSON-lines scan format (docs/FORMATS.md): a header line, then one object per file. */
public final class ScanFile {
    /** Jackson's fast double parser (FastDoubleParser): a scan is mostly 512 numbers per face. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final JsonFactory FACTORY = new JsonFactory();

    private ScanFile() {
    }

    static String headerLine(ScanHeader h) throws IOException {
        StringWriter sw = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(sw)) {
            g.writeStartObject();
            g.writeStringField("format", ScanHeader.FORMAT);
            g.writeNumberField("version", h.version());
            g.writeStringField("dataset", h.dataset());
            g.writeObjectFieldStart("models");
            g.writeStringField("detector", h.detector());
            g.writeStringField("landmarks", h.landmarks());
            g.writeStringField("embedder", h.embedder());
            g.writeEndObject();
            g.writeStringField("created", h.created());
            g.writeEndObject();
        }
        return sw.toString();
    }

    static String recordLine(ScanRecord r) throws IOException {
        StringWriter sw = new StringWriter(256 + r.faces().size() * 6000);
        try (JsonGenerator g = FACTORY.createGenerator(sw)) {
            g.writeStartObject();
            g.writeStringField("path", r.path());
            g.writeStringField("sha256", r.sha256());
            g.writeStringField("format", r.format());
            g.writeNumberField("width", r.width());
            g.writeNumberField("height", r.height());
            g.writeStringField("pdq", r.pdq());
            if (r.pdqQuality() >= 0) {
                g.writeNumberField("pdq_quality", r.pdqQuality());
            } else {
                g.writeNullField("pdq_quality");
            }
            g.writeArrayFieldStart("faces");
            for (Face f : r.faces()) {
                writeFace(g, f);
            }
            g.writeEndArray();
            g.writeStringField("error", r.error());
            g.writeEndObject();
        }
        return sw.toString();
    }

    private static void writeFace(JsonGenerator g, Face f) throws IOException {
        g.writeStartObject();
        Box b = f.box();
        g.writeArrayFieldStart("box");
        g.writeNumber(round1(b.x()));
        g.writeNumber(round1(b.y()));
        g.writeNumber(round1(b.w()));
        g.writeNumber(round1(b.h()));
        g.writeEndArray();
        g.writeNumberField("score", round4(f.score()));
        g.writeArrayFieldStart("landmarks");
        for (int i = 0; i < Landmarks.POINTS; i++) {
            g.writeStartArray();
            g.writeNumber(round1(f.landmarks().x(i)));
            g.writeNumber(round1(f.landmarks().y(i)));
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeNumberField("quality", round4(f.quality().score()));
        g.writeNumberField("eye_px", round1(f.quality().eyePixels()));
        g.writeNumberField("sharpness", round1(f.quality().sharpness()));
        g.writeArrayFieldStart("embedding");
        for (float v : f.embedding().vector()) {
            g.writeNumber(v);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static float round1(float v) {
        return Math.round(v * 10f) / 10f;
    }

    static float round4(float v) {
        return Math.round(v * 10000f) / 10000f;
    }

    /** Lines parsed together by {@link #read}. */
    static final int READ_BATCH = 256;

    /** A record line that could not be used: its 1-based line number in the file and why. */
    public interface Problems {
        void bad(long line, String reason);
    }

    /** One line's outcome: a record, or why the line is not one. */
    private record Parsed(long line, ScanRecord record, String error) {
    }

    /** Parses a batch (every core) and hands its records on in order; each bad line goes to {@code problems}. */
    private static void deliver(String embedder, List<String> lines, long firstLine, Consumer<ScanRecord> sink, Problems problems) {
        List<Parsed> parsed = java.util.stream.IntStream.range(0, lines.size()).parallel().mapToObj(k -> {
            try {
                return new Parsed(firstLine + k, parseRecord(embedder, JSON.readTree(lines.get(k))), null);
            } catch (IOException | RuntimeException bad) {
                return new Parsed(firstLine + k, null, reason(bad));
            }
        }).toList();
        for (Parsed p : parsed) {
            if (p.record() == null) {
                problems.bad(p.line(), p.error());
            } else {
                sink.accept(p.record());
            }
        }
    }

    /** One line, whatever the parser said: Jackson's messages run over several lines and quote the input. */
    private static String reason(Exception bad) {
        String m = bad instanceof com.fasterxml.jackson.core.JsonProcessingException j ? "not JSON (" + j.getOriginalMessage() + ")"
                : bad.getMessage();
        m = m == null ? bad.getClass().getSimpleName() : m;
        m = m.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\][^)]*\\)", "").replaceAll("\\s+", " ");
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }

    /**
     * Reads a whole scan file: the header, then every valid record to {@code sink}, in order. A line that is not a
     * valid record (a line cut by a killed writer, an edited or corrupt line) is named on stderr as
     * {@code likeness: FILE: line N: REASON} and skipped; the records after it are still read.
     */
    public static ScanHeader read(Path file, Consumer<ScanRecord> sink) throws IOException {
        return read(file, sink, (line, reason) -> System.err.println("likeness: " + file + ": line " + line + ": " + reason
                + "; line skipped"));
    }

    /** {@link #read}, handing each bad line to {@code problems} instead of printing it. */
    public static ScanHeader read(Path file, Consumer<ScanRecord> sink, Problems problems) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16)) {
            String first = in.readLine();
            if (first == null) {
                throw new IOException(file + ": empty scan file");
            }
            ScanHeader header = parseHeader(file, first);
            // lines are parsed in batches on every core (parsing the vectors' text is most of the cost), handed on in order
            List<String> batch = new ArrayList<>(READ_BATCH);
            long lineNo = 1;
            long batchStart = 2;
            String line;
            do {
                line = in.readLine();
                lineNo++;
                if (line != null && !line.isBlank()) {
                    if (batch.isEmpty()) {
                        batchStart = lineNo;
                    }
                    batch.add(line);
                }
                if (!batch.isEmpty() && (line == null || batch.size() == READ_BATCH || line.isBlank())) {
                    deliver(header.embedder(), batch, batchStart, sink, problems);
                    batch.clear();
                }
            } while (line != null);
            return header;
        }
    }

    /**
     * Every complete record line of a scan with its path, without building records (tokens are skipped, not
     * converted): how a resumed scan carries its earlier records forward. Stops at a line cut by a killed writer.
     */
    public static ScanHeader readLines(Path file, java.util.function.BiConsumer<String, String> sink) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16)) {
            String first = in.readLine();
            if (first == null) {
                throw new IOException(file + ": empty scan file");
            }
            ScanHeader header = parseHeader(file, first);
            // only the last line can have been cut by a kill: it alone is parsed whole, the others only up to their path
            String line = nextLine(in);
            while (line != null) {
                String following = nextLine(in);
                String path = following == null ? completePath(line) : leadingPath(line);
                if (path == null) {
                    break;
                }
                sink.accept(path, line);
                line = following;
            }
            return header;
        }
    }

    private static String nextLine(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
        } while (line != null && line.isBlank());
        return line;
    }

    /** The path of a record line, read from its first field (records are written path first). */
    private static String leadingPath(String line) {
        try (com.fasterxml.jackson.core.JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT
                    || p.nextToken() != com.fasterxml.jackson.core.JsonToken.FIELD_NAME || !"path".equals(p.currentName())) {
                return completePath(line);
            }
            p.nextToken();
            return p.getText();
        } catch (IOException | RuntimeException bad) {
            return null;
        }
    }

    /** The record's path when the line is one complete JSON object with a path, else null. */
    private static String completePath(String line) {
        try (com.fasterxml.jackson.core.JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            String path = null;
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("path".equals(name)) {
                    path = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            return p.currentToken() == com.fasterxml.jackson.core.JsonToken.END_OBJECT && p.nextToken() == null ? path : null;
        } catch (IOException | RuntimeException cut) {
            return null;
        }
    }

    /** The header only. */
    /**
     * True when the file holds at least its whole first line (the header). A scan killed just after it created its
     * output leaves an empty or header-less file: there is nothing in it to resume, and a rerun starts afresh.
     */
    public static boolean hasCompleteHeader(Path file) {
        try (java.io.InputStream in = open(file)) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '\n') {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // a gzip stream cut before its first line ends the same way
        }
    }

    public static ScanHeader readHeader(Path file) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            String first = in.readLine();
            if (first == null) {
                throw new IOException(file + ": empty scan file");
            }
            return parseHeader(file, first);
        }
    }

    /** All records in memory (small scans and tests). */
    public static List<ScanRecord> readAll(Path file) throws IOException {
        List<ScanRecord> out = new ArrayList<>();
        read(file, out::add);
        return out;
    }

    private static java.io.InputStream open(Path file) throws IOException {
        java.io.InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return file.toString().endsWith(".gz") ? new CutTolerant(new GZIPInputStream(raw, 1 << 16)) : raw;
    }

    /**
     * A gzip stream cut short by a killed writer ends instead of failing: the lines before the cut are intact
     * (the writer sync-flushes), and a half line at the end fails to parse and is dropped by {@link #read}.
     */
    private static final class CutTolerant extends java.io.FilterInputStream {
        CutTolerant(java.io.InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (java.io.EOFException | java.util.zip.ZipException cut) {
                return -1;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (java.io.EOFException | java.util.zip.ZipException cut) {
                return -1;
            }
        }
    }

    static ScanHeader parseHeader(Path file, String line) throws IOException {
        JsonNode h;
        try {
            h = JSON.readTree(line);
        } catch (IOException bad) {
            throw new IOException(file + ": line 1: not a likeness scan file (" + reason(bad) + ")");
        }
        if (!ScanHeader.FORMAT.equals(h.path("format").asText())) {
            throw new IOException(file + ": not a likeness scan file (first line has no \"format\": \"" + ScanHeader.FORMAT + "\")");
        }
        int v = h.path("version").asInt();
        if (v != ScanHeader.VERSION) {
            throw new IOException(file + ": scan format version " + v + " is not supported (this build reads " + ScanHeader.VERSION + ")");
        }
        JsonNode m = h.path("models");
        return new ScanHeader(v, h.path("dataset").asText(), m.path("detector").asText(), m.path("landmarks").asText(),
                m.path("embedder").asText(), h.path("created").asText());
    }

    /** SHA-256 and PDQ as the writer puts them: lower- or upper-case hex of 64 digits. */
    private static final java.util.regex.Pattern HEX64 = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

    /**
     * One record line, checked field by field as written by {@link #recordLine}: anything else is refused with the
     * field that is wrong (IllegalArgumentException), never half-used.
     */
    static ScanRecord parseRecord(String embedder, JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonNode pathNode = n.get("path");
        if (pathNode == null || !pathNode.isTextual() || pathNode.asText().isEmpty()) {
            throw new IllegalArgumentException("no \"path\"");
        }
        String sha = text(n, "sha256");
        if (sha != null && !HEX64.matcher(sha).matches()) {
            throw new IllegalArgumentException("\"sha256\" is not 64 hex digits");
        }
        String pdq = text(n, "pdq");
        if (pdq != null && !HEX64.matcher(pdq).matches()) {
            throw new IllegalArgumentException("\"pdq\" is not 64 hex digits");
        }
        int width = count(n, "width");
        int height = count(n, "height");
        int pdqQuality = n.path("pdq_quality").isNumber() ? n.get("pdq_quality").asInt() : -1;
        if (pdqQuality > 100) {
            throw new IllegalArgumentException("\"pdq_quality\" " + pdqQuality + " is above 100");
        }
        JsonNode facesNode = n.path("faces");
        if (!facesNode.isMissingNode() && !facesNode.isNull() && !facesNode.isArray()) {
            throw new IllegalArgumentException("\"faces\" is not a list");
        }
        List<Face> faces = new ArrayList<>();
        int k = 0;
        for (JsonNode f : facesNode) {
            try {
                faces.add(parseFace(embedder, f));
            } catch (IllegalArgumentException | NullPointerException bad) {
                throw new IllegalArgumentException("face " + k + ": " + (bad.getMessage() == null ? "missing field" : bad.getMessage()));
            }
            k++;
        }
        return new ScanRecord(pathNode.asText(), sha, text(n, "format"), width, height, faces, pdq, pdqQuality, text(n, "error"));
    }

    private static Face parseFace(String embedder, JsonNode f) {
        float[] box = numbers(f.get("box"), 4, "box");
        if (box[2] < 0 || box[3] < 0) {
            throw new IllegalArgumentException("box of negative size");
        }
        JsonNode l = f.get("landmarks");
        if (l == null || !l.isArray() || l.size() != Landmarks.POINTS) {
            throw new IllegalArgumentException("\"landmarks\" is not " + Landmarks.POINTS + " points");
        }
        float[] lm = new float[2 * Landmarks.POINTS];
        for (int i = 0; i < Landmarks.POINTS; i++) {
            float[] xy = numbers(l.get(i), 2, "landmark " + i);
            lm[2 * i] = xy[0];
            lm[2 * i + 1] = xy[1];
        }
        JsonNode e = f.get("embedding");
        if (e == null || !e.isArray() || e.isEmpty()) {
            throw new IllegalArgumentException("no \"embedding\"");
        }
        float[] vec = numbers(e, e.size(), "embedding");
        return new Face(new Box(box[0], box[1], box[2], box[3]), finite(f, "score"), new Landmarks(lm),
                new FaceQuality(finite(f, "quality"), finite(f, "eye_px"), finite(f, "sharpness")), new Embedding(embedder, vec));
    }

    /** Exactly {@code size} finite numbers. */
    private static float[] numbers(JsonNode a, int size, String what) {
        if (a == null || !a.isArray() || a.size() != size) {
            throw new IllegalArgumentException("\"" + what + "\" is not a list of " + size + " numbers");
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            JsonNode v = a.get(i);
            if (!v.isNumber() || !Float.isFinite((float) v.asDouble())) {
                throw new IllegalArgumentException("\"" + what + "\" holds " + v + ", not a finite number");
            }
            out[i] = (float) v.asDouble();
        }
        return out;
    }

    /** An optional number field: absent is 0, present must be finite. */
    private static float finite(JsonNode f, String field) {
        JsonNode v = f.get(field);
        if (v == null || v.isNull()) {
            return 0f;
        }
        if (!v.isNumber() || !Float.isFinite((float) v.asDouble())) {
            throw new IllegalArgumentException("\"" + field + "\" is " + v + ", not a finite number");
        }
        return (float) v.asDouble();
    }

    /** A non-negative int field (absent: 0). */
    private static int count(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.canConvertToInt() || v.asInt() < 0) {
            throw new IllegalArgumentException("\"" + field + "\" is " + v + ", not a size");
        }
        return v.asInt();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
