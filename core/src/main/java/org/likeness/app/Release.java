package org.likeness.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.likeness.fingerprint.FingerprintException;
import org.likeness.fingerprint.FingerprintKey;
import org.likeness.fingerprint.Fingerprinter;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.Sha256;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.Registry;
import org.likeness.registry.ReleaseKey;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.ParallelEntries;

/**
 * The release use case: a recipient's copy of a registered collection, every photo marked with a fingerprint naming
 * the recipient. The release is recorded before any file is written (a copy cut short is still traceable), and the
 * folder carries {@value #INCOMPLETE_MARKER} until every photo was written, so the same request finishes it.
 */
public final class Release {
    /** In the output while a release is being written: names the collection and recipient, so the same request can finish it. */
    public static final String INCOMPLETE_MARKER = "RELEASE-INCOMPLETE.txt";

    public record Request(String collection, String recipient, Path out) {
    }

    /** One photo: where it was written (null when it was not) and its PSNR, or why it was not released. */
    public record Outcome(String path, String written, double psnr, String failure) {
    }

    /** @param minPsnr the lowest PSNR of a written photo (NaN when none was written) */
    public record Result(String collection, String recipient, String keyId, Path out, int written, int total, double minPsnr,
                         List<Outcome> outcomes) {
        public boolean complete() {
            return written == total;
        }
    }

    private final RegistrySession session;
    private final String actor;
    private final int threads;

    public Release(RegistrySession session, String actor, int threads) {
        this.session = session;
        this.actor = actor;
        this.threads = threads;
    }

    public Result run(Request request, Listener listener, Cancellation cancellation) throws IOException {
        String collection = request.collection();
        String recipient = request.recipient();
        Path out = request.out();
        Registry.checkRecipient(recipient);
        String unfinished = "release " + collection + " to " + recipient;
        if (Files.isDirectory(out)) {
            boolean empty;
            try (Stream<Path> st = Files.list(out)) {
                empty = st.findAny().isEmpty();
            }
            Path marker = out.resolve(INCOMPLETE_MARKER);
            if (!empty && !(OutputTree.isPlainFile(marker) && Files.readString(marker).startsWith(unfinished + "\n"))) {
                throw new RequestException(out + ": not empty; a release is written into a new or empty folder (or one holding an"
                        + " interrupted release of the same collection to the same recipient, which the same command finishes)");
            }
        } else if (Files.exists(out)) {
            throw new RequestException(out + ": exists and is not a folder");
        }
        try (RegistryAccess access = session.open(actor)) {
            Registry r = access.registry;
            CollectionInfo info = r.collection(collection);
            Map<String, String> sha = new HashMap<>();
            for (CollectionImage i : r.collectionImages(collection, false)) {
                sha.put(i.path(), i.sha256());
            }
            ReleaseKey rk = r.releaseKey(() -> {
                FingerprintKey k = FingerprintKey.generate(new SecureRandom());
                return new ReleaseKey(k.id(), k.secret());
            });
            FingerprintKey key = new FingerprintKey(rk.id(), rk.secret());
            Path location = Path.of(info.location());
            if (!Files.exists(location)) {
                throw new RequestException(location + ": collection " + collection + "'s dataset is no longer there");
            }
            OutputTree.checkOutside(location, out, "the release");
            Files.createDirectories(out);
            // a copy cut short by a crash says so, and running the same command again finishes it
            OutputTree.writeFile(out.resolve(INCOMPLETE_MARKER), (unfinished + "\nThis copy is INCOMPLETE: the release was interrupted."
                    + " Run the same command again to finish it; do not send these files before then.\n").getBytes(StandardCharsets.UTF_8));
            // recorded before any marked file exists, so that a copy cut short by a crash is still traceable
            r.recordRelease(collection, recipient, key.id(), sha.size());
            Fingerprinter fingerprinter = new Fingerprinter();
            // a file not in the registered collection (added since: rescan to include it) is not released
            List<Outcome> outcomes = ParallelEntries.map(cancellation.guard(DatasetReader.open(location)), e -> sha.containsKey(e.path()),
                    threads, e -> one(fingerprinter, key, e, sha.get(e.path()), request), listener.progress("release", sha.size()), "release");
            OutputTree.sweepTemps(out);
            Files.delete(out.resolve(INCOMPLETE_MARKER));
            int written = 0;
            double minPsnr = Double.POSITIVE_INFINITY;
            for (Outcome o : outcomes) {
                if (o.failure() != null) {
                    listener.problem(o.path(), "not released: " + o.failure());
                } else {
                    written++;
                    minPsnr = Math.min(minPsnr, o.psnr());
                }
            }
            if (written != sha.size()) {
                r.recordRelease(collection, recipient, key.id(), written);
            }
            return new Result(collection, recipient, key.id(), out, written, outcomes.size(), written == 0 ? Double.NaN : minPsnr, outcomes);
        }
    }

    private static Outcome one(Fingerprinter fingerprinter, FingerprintKey key, DatasetEntry e, String expected, Request request)
            throws IOException {
        if (e.error() != null) {
            return new Outcome(e.path(), null, 0, e.error());
        }
        if (!Sha256.of(e.bytes()).equals(expected)) {
            return new Outcome(e.path(), null, 0, "changed since the collection was registered: run `likeness collection rescan "
                    + request.collection() + "`");
        }
        try (DecodedImage img = new ImageDecoder().decode(e.path(), e.bytes())) {
            Fingerprinter.Release rel = fingerprinter.release(img.bgr(), img.format(), key, request.recipient(), expected);
            String path = e.path();
            String ext = rel.file().extension();
            if (!path.toLowerCase(Locale.ROOT).endsWith(ext) && !(ext.equals(".jpg") && path.toLowerCase(Locale.ROOT).endsWith(".jpeg"))) {
                // a.webp is released as a.webp.png: never the name of another photo (a.png), so nothing is overwritten
                path = path + ext;
            }
            OutputTree.write(request.out(), path, rel.file().bytes());
            return new Outcome(e.path(), path, rel.psnr(), null);
        } catch (OutputTree.RefusedName ex) {
            return new Outcome(e.path(), null, 0, "cannot be written under its name: " + ex.reason());
        } catch (DecodeException ex) {
            return new Outcome(e.path(), null, 0, ex.reason());
        } catch (FingerprintException ex) {
            return new Outcome(e.path(), null, 0, ex.getMessage());
        }
    }
}
