package org.likeness.cli;

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
import org.likeness.scan.Progress;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code likeness release COLLECTION --to RECIPIENT -o DIR}. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Write a recipient's copy of a registered collection in which every photo carries an invisible fingerprint naming"
                + " the recipient, keyed by a secret held in the registry (nobody else can read or forge it). The release is recorded"
                + " and logged; `likeness trace` names the recipient of a leaked copy. Exit 1 when some photos could not be released"
                + " (changed since registration, unreadable, too small to mark).")
final class ReleaseCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "COLLECTION", description = "A registered collection (`likeness collection list`).")
    String collection;
    @Option(names = "--to", required = true, paramLabel = "RECIPIENT", description = "Who receives the copy: letters, digits, '.', '_', '@', '-'.")
    String recipient;
    @Option(names = {"-o", "--output", "--out"}, required = true, paramLabel = "DIR", description = "Folder for the copy (new or empty); same relative paths,"
            + " JPEG and PNG keep their names; other formats are written as PNG with .png appended (a.webp becomes a.webp.png).")
    Path out;
    @Mixin
    DbOption dbOption;
    @Mixin
    ThreadsOption threadsOption;
    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;

    /** In OUT while a release is being written: names the collection and recipient, so the same command can finish it. */
    static final String INCOMPLETE_MARKER = "RELEASE-INCOMPLETE.txt";

    private final Map<String, String> env;

    ReleaseCommand() {
        this(System.getenv());
    }

    ReleaseCommand(Map<String, String> env) {
        this.env = env;
    }

    private record Outcome(String path, String written, double psnr, String failure) {
    }

    @Override
    public Integer call() throws Exception {
        Registry.checkRecipient(recipient);
        String unfinished = "release " + collection + " to " + recipient;
        if (Files.isDirectory(out)) {
            boolean empty;
            try (Stream<Path> st = Files.list(out)) {
                empty = st.findAny().isEmpty();
            }
            Path marker = out.resolve(INCOMPLETE_MARKER);
            if (!empty && !(OutputTree.isPlainFile(marker) && Files.readString(marker).startsWith(unfinished + "\n"))) {
                throw new UserException(out + ": not empty; a release is written into a new or empty folder (or one holding an"
                        + " interrupted release of the same collection to the same recipient, which the same command finishes)");
            }
        } else if (Files.exists(out)) {
            throw new UserException(out + ": exists and is not a folder");
        }
        try (RegistryAccess access = RegistryAccess.open(dbOption.db(), env, System.getProperty("user.name", "unknown"))) {
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
                throw new UserException(location + ": collection " + collection + "'s dataset is no longer there");
            }
            OutputTree.checkOutside(location, out, "the release");
            Files.createDirectories(out);
            // a copy cut short by a crash says so, and running the same command again finishes it
            OutputTree.writeFile(out.resolve(INCOMPLETE_MARKER), (unfinished + "\nThis copy is INCOMPLETE: the release was interrupted."
                    + " Run the same command again to finish it; do not send these files before then.\n").getBytes(StandardCharsets.UTF_8));
            // recorded before any marked file exists, so that a copy cut short by a crash is still traceable
            r.recordRelease(collection, recipient, key.id(), sha.size());
            List<Outcome> outcomes = write(location, sha, key);
            OutputTree.sweepTemps(out);
            Files.delete(out.resolve(INCOMPLETE_MARKER));
            int written = 0;
            double minPsnr = Double.POSITIVE_INFINITY;
            for (Outcome o : outcomes) {
                if (o.failure() != null) {
                    err().println("likeness: " + o.path() + ": not released: " + o.failure());
                } else {
                    written++;
                    minPsnr = Math.min(minPsnr, o.psnr());
                }
            }
            if (written != sha.size()) {
                r.recordRelease(collection, recipient, key.id(), written);
            }
            out().printf(Locale.ROOT, "released %s to %s: %d of %d photos fingerprinted (lowest PSNR %.1f dB), key %s; %s%n",
                    collection, recipient, written, outcomes.size(), written == 0 ? Double.NaN : minPsnr, key.id(), out.toAbsolutePath());
            return written == outcomes.size() ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        }
    }

    /** Marks every registered photo of the dataset on {@code threads} workers; files are written as they finish. */
    private List<Outcome> write(Path location, Map<String, String> sha, FingerprintKey key) throws IOException {
        Fingerprinter fingerprinter = new Fingerprinter();
        // a file not in the registered collection (added since: rescan to include it) is not released
        return ParallelEntries.map(DatasetReader.open(location), e -> sha.containsKey(e.path()), threadsOption.threads(),
                e -> one(fingerprinter, key, e, sha.get(e.path())), new Progress(err(), "release", sha.size(), !noProgress), "release");
    }

    private Outcome one(Fingerprinter fingerprinter, FingerprintKey key, DatasetEntry e, String expected) throws IOException {
        if (e.error() != null) {
            return new Outcome(e.path(), null, 0, e.error());
        }
        if (!Sha256.of(e.bytes()).equals(expected)) {
            return new Outcome(e.path(), null, 0, "changed since the collection was registered: run `likeness collection rescan " + collection + "`");
        }
        try (DecodedImage img = new ImageDecoder().decode(e.path(), e.bytes())) {
            Fingerprinter.Release rel = fingerprinter.release(img.bgr(), img.format(), key, recipient, expected);
            String path = e.path();
            String ext = rel.file().extension();
            if (!path.toLowerCase(Locale.ROOT).endsWith(ext) && !(ext.equals(".jpg") && path.toLowerCase(Locale.ROOT).endsWith(".jpeg"))) {
                // a.webp is released as a.webp.png: never the name of another photo (a.png), so nothing is overwritten
                path = path + ext;
            }
            OutputTree.write(out, path, rel.file().bytes());
            return new Outcome(e.path(), path, rel.psnr(), null);
        } catch (OutputTree.RefusedName ex) {
            return new Outcome(e.path(), null, 0, "cannot be written under its name: " + ex.reason());
        } catch (DecodeException ex) {
            return new Outcome(e.path(), null, 0, ex.reason());
        } catch (org.likeness.fingerprint.FingerprintException ex) {
            return new Outcome(e.path(), null, 0, ex.getMessage());
        }
    }
}
