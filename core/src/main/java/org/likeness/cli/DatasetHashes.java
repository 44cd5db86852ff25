package org.likeness.cli;

import org.likeness.hash.PdqHash;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.ScanFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The PDQ hash of every image of a dataset, or of a scan file's records (no decoding needed then).
 * Failures carry their one-line reason, as in a scan.
 */
final class DatasetHashes {
    /** One image: its hash and quality, or the reason it has none. */
    record Item(String path, PdqHash hash, int quality, String error) {
    }

    private DatasetHashes() {
    }

    static boolean isScanFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".jsonl") || n.endsWith(".jsonl.gz");
    }

    static List<Item> load(Path source, int threads) throws IOException {
        List<Item> out = new ArrayList<>();
        if (isScanFile(source)) {
            // a bad line is one failed item, named by its line: counted and reported, the records after it still used
            ScanFile.read(source, r -> out.add(r.pdq() == null
                    ? new Item(r.path(), null, -1, r.error() != null ? r.error() : "scan has no PDQ hash (made with --no-hash)")
                    : new Item(r.path(), PdqHash.parse(r.pdq()), r.pdqQuality(), null)),
                    (line, reason) -> out.add(new Item(source.getFileName() + ":" + line, null, -1, "line " + line + " of the scan: " + reason)));
            return out;
        }
        ImageDecoder decoder = new ImageDecoder();
        ThreadLocal<PdqHasher> hashers = ThreadLocal.withInitial(PdqHasher::new);
        ExecutorService pool = org.likeness.files.Parallel.pool(threads, "hash");
        Deque<Future<Item>> window = new ArrayDeque<>();
        try (DatasetReader reader = DatasetReader.open(source)) {
            while (reader.hasNext() || !window.isEmpty()) {
                if (reader.hasNext() && window.size() < 4 * threads) {
                    DatasetEntry e = reader.next();
                    window.add(pool.submit(() -> hashOne(decoder, hashers.get(), e)));
                } else {
                    out.add(window.poll().get());
                }
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IOException("hashing " + source + " failed: " + e.getMessage(), e);
        } finally {
            org.likeness.files.Parallel.stop(pool);
        }
        return out;
    }

    static Item hashOne(ImageDecoder decoder, PdqHasher hasher, DatasetEntry e) {
        if (e.error() != null) {
            return new Item(e.path(), null, -1, e.error());
        }
        try (DecodedImage img = decoder.decode(e.path(), e.bytes())) {
            PdqResult r = hasher.hash(img.bgr());
            return new Item(e.path(), r.hash(), r.quality(), null);
        } catch (DecodeException de) {
            return new Item(e.path(), null, -1, de.reason());
        } catch (RuntimeException re) { // one bad photo is one failed item, never the end of the run
            return new Item(e.path(), null, -1, "hashing failed: " + re);
        }
    }
}
