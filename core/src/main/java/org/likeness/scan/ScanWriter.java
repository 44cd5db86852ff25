package org.likeness.scan;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a scan file line by line. Gzip output is sync-flushed every {@link #FLUSH_EVERY} records, so a killed
 * process leaves a file whose every complete line is readable ({@link ScanFile#read} stops at the cut).
 */
public final class ScanWriter implements ScanSink {
    /** Records between flushes: bounds the work lost to a kill at a few seconds of scanning. */
    static final int FLUSH_EVERY = 64;
    /**
     * Deflate level of .gz scan files: the fastest. On 1,000 lfw-dev records level 6 (the JDK default) took 0.53 ms of
     * CPU per record and level 1 0.09 ms, for a file 14 % larger (3.56 MB instead of 3.13 MB): the embeddings' digits
     * compress little at any level (docs/DECISIONS.md, "Scan file compression"). Readers see the same records.
     */
    static final int GZIP_LEVEL = Deflater.BEST_SPEED;

    private final BufferedWriter out;
    private int sinceFlush;

    public ScanWriter(Path file, ScanHeader header) throws IOException {
        // never through a link planted at the output's (or its temporary's) name
        OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        org.likeness.files.PrivateFiles.restrict(file); // every face's embedding: owner-only (docs/REGISTRY.md)
        OutputStream os = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16, true) {
            {
                def.setLevel(GZIP_LEVEL);
            }
        } : raw;
        this.out = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
        out.write(ScanFile.headerLine(header));
        out.write('\n');
        out.flush();
    }

    @Override
    public void write(ScanRecord r) throws IOException {
        out.write(ScanFile.recordLine(r));
        out.write('\n');
        if (++sinceFlush >= FLUSH_EVERY) {
            out.flush();
            sinceFlush = 0;
        }
    }

    /** Writes a record line read from another scan of the same models, as it is. */
    public void writeLine(String recordLine) throws IOException {
        if (recordLine.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a record line cannot contain a newline");
        }
        out.write(recordLine);
        out.write('\n');
        if (++sinceFlush >= FLUSH_EVERY) {
            out.flush();
            sinceFlush = 0;
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
