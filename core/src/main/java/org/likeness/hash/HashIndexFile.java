package org.likeness.hash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The {@link HashIndex} file format, version 1, all numbers little-endian:
 * <pre>
 * magic        8 bytes  "LKPDQIX1"
 * version      int32    1
 * count        int32    number of hashes n
 * prefixBits   int32    directory bits p
 * fragmentBits int32    fragment bits f
 * idBits       int32    id bits
 * hashes       n × 4 int64, hash i = words w0..w3 (w0 = bits 0-63, see {@link PdqHash})
 * 8 × table:   (2^p + 1) int32 directory, int32 word count w, w × int64 packed entries
 * </pre>
 * The layout parameters must equal those the builder chooses for n, so a file cannot smuggle in a table shape the
 * search code does not expect. Written to a temporary file and moved into place.
 */
final class HashIndexFile {

    static final byte[] MAGIC = "LKPDQIX1".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int CHUNK = 1 << 20;

    private HashIndexFile() {
    }

    static void write(HashIndex index, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        HashTables t = index.tables;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.put(MAGIC).putInt(VERSION).putInt(index.size).putInt(t.prefixBits).putInt(t.fragmentBits).putInt(t.idBits);
            putLongs(ch, buf, index.hashes);
            for (int i = 0; i < HashIndex.SUBSTRINGS; i++) {
                putInts(ch, buf, t.directory[i]);
                ensure(ch, buf, 4);
                buf.putInt(t.entries[i].length);
                putLongs(ch, buf, t.entries[i]);
            }
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static HashIndex read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Reader in = new Reader(ch, file);
            byte[] magic = new byte[MAGIC.length];
            in.need(MAGIC.length + 20);
            in.buf.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw in.bad("not a Likeness PDQ hash index (wrong magic)");
            }
            int version = in.buf.getInt();
            if (version != VERSION) {
                throw in.bad("unsupported hash index version " + version + " (this build reads " + VERSION + ")");
            }
            int count = in.buf.getInt();
            int p = in.buf.getInt();
            int f = in.buf.getInt();
            int idBits = in.buf.getInt();
            if (count < 0 || count > HashIndexBuilder.MAX_SIZE) {
                throw in.bad("hash count " + count + " out of range");
            }
            int expectP = HashTables.prefixBitsFor(count);
            int expectId = HashTables.idBitsFor(count);
            if (p != expectP || idBits != expectId || f != HashTables.fragmentBitsFor(p, idBits)) {
                throw in.bad("table layout (" + p + ", " + f + ", " + idBits + ") does not match " + count + " hashes");
            }
            long[] hashes = in.longs(4 * count);
            int[][] directory = new int[HashIndex.SUBSTRINGS][];
            long[][] entries = new long[HashIndex.SUBSTRINGS][];
            long expectWords = PackedInts.allocate(count, idBits + f).length;
            for (int t = 0; t < HashIndex.SUBSTRINGS; t++) {
                directory[t] = in.ints((1 << p) + 1);
                checkDirectory(in, t, directory[t], count);
                in.need(4);
                int words = in.buf.getInt();
                if (words != expectWords) {
                    throw in.bad("table " + t + " has " + words + " words, expected " + expectWords);
                }
                entries[t] = in.longs(words);
            }
            if (in.buf.hasRemaining() || ch.position() != ch.size()) {
                throw in.bad("trailing bytes after the last table");
            }
            return new HashIndex(hashes, count, new HashTables(p, f, idBits, directory, entries));
        }
    }

    private static void checkDirectory(Reader in, int t, int[] dir, int count) throws IOException {
        boolean ok = dir[0] == 0 && dir[dir.length - 1] == count;
        for (int b = 1; ok && b < dir.length; b++) {
            ok = dir[b - 1] <= dir[b];
        }
        if (!ok) {
            throw in.bad("table " + t + " directory is not a non-decreasing cover of " + count + " entries");
        }
    }

    private static void ensure(FileChannel ch, ByteBuffer buf, int bytes) throws IOException {
        if (buf.remaining() < bytes) {
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }
    }

    private static void putLongs(FileChannel ch, ByteBuffer buf, long[] values) throws IOException {
        for (long v : values) {
            ensure(ch, buf, 8);
            buf.putLong(v);
        }
    }

    private static void putInts(FileChannel ch, ByteBuffer buf, int[] values) throws IOException {
        for (int v : values) {
            ensure(ch, buf, 4);
            buf.putInt(v);
        }
    }

    /** Buffered little-endian reads that fail with the file name when the file ends early. */
    private static final class Reader {
        final FileChannel ch;
        final Path file;
        final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

        Reader(FileChannel ch, Path file) {
            this.ch = ch;
            this.file = file;
            buf.limit(0);
        }

        void need(int bytes) throws IOException {
            if (buf.remaining() >= bytes) {
                return;
            }
            buf.compact();
            while (buf.position() < bytes) {
                if (ch.read(buf) < 0) {
                    buf.flip();
                    throw bad("truncated");
                }
            }
            buf.flip();
        }

        long[] longs(int n) throws IOException {
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                need(8);
                out[i] = buf.getLong();
            }
            return out;
        }

        int[] ints(int n) throws IOException {
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                need(4);
                out[i] = buf.getInt();
            }
            return out;
        }

        IOException bad(String reason) {
            return new IOException("hash index file " + file + ": " + reason);
        }
    }
}
