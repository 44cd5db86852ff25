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

    private static float round1(float v) {
        return Math.round(v * 10f) / 10f;
    }

    private static float round4(float v) {
        return Math.round(v * 10000f) / 10000f;
    }

    /** Lines parsed together by {@link #read}. */
    static final int READ_BATCH = 256;

    /** Parses a batch and hands its records on in order; false at a line cut by a killed writer (nothing after it is read). */
    private static boolean deliver(String embedder, List<String> lines, Consumer<ScanRecord> sink) {
        List<ScanRecord> parsed = lines.parallelStream().map(l -> {
            try {
                return parseRecord(embedder, JSON.readTree(l));
            } catch (IOException | RuntimeException bad) {
                return null;
            }
        }).toList();
        for (ScanRecord r : parsed) {
            if (r == null) {
                return false; // everything before a cut line is valid
            }
            sink.accept(r);
        }
        return true;
    }

    /** Reads a whole scan file: the header, then every record to {@code sink}. Stops cleanly at a truncated tail. */
    public static ScanHeader read(Path file, Consumer<ScanRecord> sink) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16)) {
            String first = in.readLine();
            if (first == null) {
                throw new IOException(file + ": empty scan file");
            }
            ScanHeader header = parseHeader(file, first);
            // lines are parsed in batches on every core (parsing the vectors' text is most of the cost), handed on in order
            List<String> batch = new ArrayList<>(READ_BATCH);
            String line;
            boolean more = true;
            while (more) {
                line = in.readLine();
                if (line != null && !line.isBlank()) {
                    batch.add(line);
                }
                if (line == null || batch.size() == READ_BATCH) {
                    boolean whole = deliver(header.embedder(), batch, sink);
                    more = line != null && whole;
                    batch.clear();
                }
            }
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

    private static ScanHeader parseHeader(Path file, String line) throws IOException {
        JsonNode h = JSON.readTree(line);
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

    static ScanRecord parseRecord(String embedder, JsonNode n) {
        List<Face> faces = new ArrayList<>();
        for (JsonNode f : n.path("faces")) {
            JsonNode b = f.get("box");
            float[] lm = new float[10];
            JsonNode l = f.get("landmarks");
            for (int i = 0; i < Landmarks.POINTS; i++) {
                lm[2 * i] = (float) l.get(i).get(0).asDouble();
                lm[2 * i + 1] = (float) l.get(i).get(1).asDouble();
            }
            JsonNode e = f.get("embedding");
            float[] vec = new float[e.size()];
            for (int i = 0; i < vec.length; i++) {
                vec[i] = (float) e.get(i).asDouble();
            }
            faces.add(new Face(new Box((float) b.get(0).asDouble(), (float) b.get(1).asDouble(), (float) b.get(2).asDouble(),
                    (float) b.get(3).asDouble()), (float) f.path("score").asDouble(), new Landmarks(lm),
                    new FaceQuality((float) f.path("quality").asDouble(), (float) f.path("eye_px").asDouble(),
                            (float) f.path("sharpness").asDouble()),
                    new Embedding(embedder, vec)));
        }
        return new ScanRecord(n.path("path").asText(), text(n, "sha256"), text(n, "format"), n.path("width").asInt(),
                n.path("height").asInt(), faces, text(n, "pdq"), n.path("pdq_quality").isNumber() ? n.get("pdq_quality").asInt() : -1,
                text(n, "error"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
