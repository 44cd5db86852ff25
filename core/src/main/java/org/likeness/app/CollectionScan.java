package org.likeness.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.likeness.face.Face;
import org.likeness.registry.CollectionChange;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.Identification;
import org.likeness.registry.Registry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanRecord;

/**
 * Collection registration and rescan: scan a dataset the organisation holds (or read an earlier scan of it), identify
 * every face against the registry (fail closed: below the threshold a face stays unidentified), and store what
 * remediation and tracing need. A file that cannot be read is not registered; it is reported and counted.
 */
public final class CollectionScan {
    /** Where the identified images go, with the registry still open (one transaction in the registry). */
    public interface Store<T> {
        T store(Registry registry, String embedder, List<CollectionImage> images);
    }

    /** What was stored, and how many files could not be registered. */
    public record Result<T>(T stored, int failed) {
    }

    private final FaceScanner scanner;
    private final RegistrySession session;
    private final String actor;

    public CollectionScan(FaceScanner scanner, RegistrySession session, String actor) {
        this.scanner = scanner;
        this.session = session;
        this.actor = actor;
    }

    /** Registers {@code dataset} as collection {@code name}; {@code owner} null means the actor. */
    public Result<CollectionInfo> add(String name, String owner, Path dataset, Path earlierScan, Listener listener,
                                      Cancellation cancellation) throws IOException {
        return add(null, name, owner, dataset, earlierScan, listener, cancellation);
    }

    /** As above, for a collection owned by {@code organisation} (a tenant of the HTTP service; null: the default one). */
    public Result<CollectionInfo> add(String organisation, String name, String owner, Path dataset, Path earlierScan, Listener listener,
                                      Cancellation cancellation) throws IOException {
        String location = dataset.toAbsolutePath().normalize().toString();
        String by = owner != null ? owner : actor;
        // a duplicate name is refused before the scan's results are written, inside the same transaction
        return run(dataset, name, earlierScan, (registry, embedder, images) -> organisation == null
                ? registry.addCollection(name, by, location, embedder, images)
                : registry.addCollection(organisation, name, by, location, embedder, images), listener, cancellation);
    }

    /** Scans a registered collection again at its registered location. */
    public Result<CollectionChange> rescan(String name, Path earlierScan, Listener listener, Cancellation cancellation) throws IOException {
        String location;
        try (RegistryAccess access = session.open(actor)) {
            location = access.registry.collection(name).location();
        }
        return run(Path.of(location), name, earlierScan, (registry, embedder, images) -> registry.rescanCollection(name, embedder, images),
                listener, cancellation);
    }

    /** Scans and identifies, then hands the images to {@code store} with the registry still open. */
    public <T> Result<T> run(Path dataset, String label, Path earlierScan, Store<T> store, Listener listener, Cancellation cancellation)
            throws IOException {
        if (!Files.exists(dataset)) {
            throw new RequestException(dataset + ": no such folder or archive");
        }
        List<ScanRecord> records = new ArrayList<>();
        String embedder;
        if (earlierScan != null) {
            if (!Files.isRegularFile(earlierScan)) {
                throw new RequestException(earlierScan + ": no such scan file");
            }
            embedder = ScanFile.read(earlierScan, records::add, Scan.problems(listener, earlierScan)).embedder();
        } else {
            // a file the scan could not read is reported once, below, as not registered (the scan's own line would repeat
            // it); any other problem of the scan (a bad line of its scratch file) is passed on
            List<String[]> held = new ArrayList<>();
            Listener scanning = new Listener() {
                @Override
                public org.likeness.scan.Progress progress(String stage, long total) {
                    return listener.progress(stage, total);
                }

                @Override
                public void problem(String path, String reason) {
                    held.add(new String[] {path, reason});
                }

                @Override
                public void note(String line) {
                    listener.note(line);
                }
            };
            embedder = scanner.scan(label, () -> DatasetReader.open(dataset), null, session.home(), records::add, scanning, cancellation)
                    .embedder();
            java.util.Set<String> unreadable = new java.util.HashSet<>();
            records.stream().filter(r -> !r.ok() || r.sha256() == null).forEach(r -> unreadable.add(r.path()));
            held.stream().filter(h -> !unreadable.contains(h[0])).forEach(h -> listener.problem(h[0], h[1]));
        }
        cancellation.check();
        int failed = 0;
        try (RegistryAccess access = session.identifying(actor, embedder)) {
            List<CollectionImage> images = new ArrayList<>();
            for (ScanRecord r : records) {
                if (!r.ok() || r.sha256() == null) {
                    failed++;
                    listener.problem(r.path(), "not registered: " + r.error());
                    continue;
                }
                List<CollectionFace> faces = new ArrayList<>();
                for (int i = 0; i < r.faces().size(); i++) {
                    Face f = r.faces().get(i);
                    Identification id = access.registry.identify(f.embedding().vector(), embedder);
                    faces.add(new CollectionFace(i, f.box().x(), f.box().y(), f.box().w(), f.box().h(), id.subject().orElse(null),
                            Math.max(0, id.score()), f.embedding().vector()));
                }
                images.add(new CollectionImage(r.path(), r.sha256(), r.pdq(), faces));
            }
            records.clear();
            cancellation.check();
            return new Result<>(store.store(access.registry, embedder, images), failed);
        }
    }
}
