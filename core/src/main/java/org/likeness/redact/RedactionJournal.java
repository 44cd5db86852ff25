package org.likeness.redact;

import org.likeness.json.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The progress of a redaction, so that a killed run can be resumed: {@value #INCOMPLETE_MARKER} in OUT while the copy is
 * not finished, and under {@value #WORK_DIR} a JSON-lines journal (a header naming the dataset, plan and mode, then one
 * finished manifest entry per line). A line cut by a kill is ignored; its file is simply done again.
 */
final class RedactionJournal implements AutoCloseable {
    static final String INCOMPLETE_MARKER = "REDACTION-INCOMPLETE.txt";
    static final String WORK_DIR = ".likeness-redact";
    private static final String JOURNAL = "journal.jsonl";
    /** Journal lines between fsyncs: a kill loses at most this many finished files, which are then redone. */
    private static final int SYNC_EVERY = 64;
    private static final ObjectMapper JSON = Json.MAPPER;

    private final Path out;
    private final Map<String, ManifestEntry> done;
    private final OutputStream file;
    private final FileChannel channel;
    private final BufferedWriter writer;
    private int unsynced;

    private RedactionJournal(Path out, Map<String, ManifestEntry> done, OutputStream file, FileChannel channel) {
        this.out = out;
        this.done = done;
        this.file = file;
        this.channel = channel;
        this.writer = new BufferedWriter(new java.io.OutputStreamWriter(file, StandardCharsets.UTF_8));
    }

    static RedactionJournal open(Path out, Map<String, String> header, boolean resume) throws IOException {
        Path journal = out.resolve(WORK_DIR).resolve(JOURNAL);
        Map<String, ManifestEntry> done = new HashMap<>();
        if (resume) {
            if (!Files.exists(out.resolve(INCOMPLETE_MARKER)) || !Files.exists(journal)) {
                throw new IOException(out + ": nothing to resume (no " + INCOMPLETE_MARKER + " or journal"
                        + (Files.exists(out.resolve(Manifest.FILE_NAME)) ? "; the copy is already complete)" : ")"));
            }
            List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
            Map<String, String> was = lines.isEmpty() ? Map.of() : JSON.readValue(lines.get(0), new TypeReference<Map<String, String>>() { });
            if (!was.equals(header)) {
                throw new IOException(out + ": was started with " + was + ", not " + header + "; resume with the same dataset,"
                        + " findings and mode, or write to a new folder");
            }
            for (String line : lines.subList(1, lines.size())) {
                try {
                    ManifestEntry e = JSON.readValue(line, ManifestEntry.class);
                    done.put(e.path(), e);
                } catch (IOException cutByAKill) {
                    // the last line of a killed run may be partial: that file is redone
                }
            }
        } else {
            if (Files.isDirectory(out)) {
                try (Stream<Path> s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new IOException(out + ": not empty; use --resume to finish an interrupted redaction, or choose a new folder");
                    }
                }
            } else if (Files.exists(out)) {
                throw new IOException(out + ": exists and is not a folder");
            }
            Files.createDirectories(journal.getParent());
            Files.writeString(out.resolve(INCOMPLETE_MARKER), "This copy is INCOMPLETE: redaction was interrupted.\n"
                    + "Finish it with the same command and --resume. Do not use or share these files before then.\n");
            Files.writeString(journal, JSON.writeValueAsString(header) + "\n", StandardCharsets.UTF_8);
        }
        if (Files.isSymbolicLink(journal.getParent()) || Files.isSymbolicLink(journal)) {
            throw new IOException(journal + ": a symbolic link in the copy; refusing to write through it");
        }
        FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        if (resume) {
            truncatePartialLine(journal, ch);
        }
        return new RedactionJournal(out, done, java.nio.channels.Channels.newOutputStream(ch), ch);
    }

    /** After a kill the journal may end in half a line: cut it so the next line starts clean. */
    private static void truncatePartialLine(Path journal, FileChannel ch) throws IOException {
        byte[] all = Files.readAllBytes(journal);
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') {
            end--;
        }
        if (end < all.length) {
            ch.truncate(end);
        }
    }

    /** The entry a previous run finished for this path, or null. */
    ManifestEntry done(String path) {
        return done.get(path);
    }

    void record(ManifestEntry e) throws IOException {
        writer.write(JSON.writeValueAsString(e));
        writer.write('\n');
        writer.flush();
        if (++unsynced >= SYNC_EVERY) {
            channel.force(false);
            unsynced = 0;
        }
    }

    /** The copy and its manifest are written: remove the marker and the work folder. */
    void complete() throws IOException {
        writer.flush();
        channel.force(false);
        close();
        org.likeness.scan.OutputTree.sweepTemps(out);
        Files.deleteIfExists(out.resolve(INCOMPLETE_MARKER));
        try (Stream<Path> s = Files.walk(out.resolve(WORK_DIR))) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            writer.close();
            file.close();
        }
    }
}
