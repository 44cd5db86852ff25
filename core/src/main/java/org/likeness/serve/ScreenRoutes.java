package org.likeness.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.account.Role;
import org.likeness.evidence.HolderKey;
import org.likeness.face.FacePipeline;
import org.likeness.hashlist.HashListException;
import org.likeness.hashlist.HashListPublication;
import org.likeness.hashlist.HashListStore;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.Progress;
import org.likeness.screen.ScreenLists;
import org.likeness.screen.ScreenPolicy;
import org.likeness.screen.ScreenResult;
import org.likeness.screen.Screener;

/**
 * Screening and hash-list publication over HTTP (docs/HASHLISTS.md, "Service"): {@code POST /screen} screens a small
 * listing against the hash lists this server's home holds; {@code GET /hashlists/{name}} publishes the holder's latest
 * list, or a delta, for marketplaces to poll.
 */
public final class ScreenRoutes implements RouteGroup {
    /**
     * Images a synchronous screen takes: 200, about 4 s of CPU at the 20 ms per photo measured in docs/BENCHMARKS.md
     * ("Screen"), so about 2 s on 2 idle cores (not on a loaded machine); larger listings go through {@code likeness screen}.
     */
    static final int MAX_SYNC_IMAGES = 200;
    /** The marketplace's policy, when the server's home has one (else {@link ScreenPolicy#DEFAULT}). */
    static final String POLICY_FILE = "policy.json";

    /** Opens the face pipeline (loading the models takes seconds: done on the first screen). */
    @FunctionalInterface
    public interface PipelineOpener {
        FacePipeline open() throws IOException;
    }

    private final PipelineOpener opener;
    private FacePipeline pipeline;

    public ScreenRoutes(PipelineOpener opener) {
        this.opener = opener;
    }

    @Override
    public void register(Routes routes, Services services) {
        routes.post("/screen", "Screen a listing of at most " + MAX_SYNC_IMAGES + " images (multipart field `images`): face dataset,"
                        + " matches against the hash lists this server holds, and the policy's decision (allow, review, block)")
                .tag("screening").roles(Role.SCREENER).multipart().handle(this::screen);
        routes.get("/hashlists/{name}", "The latest version of a hash list the holder exported (full, signed), or with `since` the"
                        + " signed delta from that version; ETag and If-None-Match (304 when nothing changed)")
                .tag("screening").roles(Role.SCREENER, Role.HOLDER)
                .query("since", "A version the caller holds: answer the delta from it to the latest (304 when it is the latest).")
                .handle(ScreenRoutes::hashlist);
    }

    private synchronized FacePipeline pipeline() throws IOException {
        if (pipeline == null) {
            pipeline = opener.open();
        }
        return pipeline;
    }

    @Override
    public synchronized void stop() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    private void screen(Call call) throws IOException {
        List<Call.Upload> uploads = call.uploads("images");
        try {
            if (uploads.isEmpty()) {
                throw new Problem(Problem.Kind.BAD_REQUEST, "no images: send the listing's photos as multipart field 'images'");
            }
            if (uploads.size() > MAX_SYNC_IMAGES) {
                throw new Problem(Problem.Kind.TOO_LARGE, uploads.size() + " images: a synchronous screen takes at most " + MAX_SYNC_IMAGES
                        + "; screen larger listings with `likeness screen`");
            }
            Path home = call.services().registry().location().home();
            ScreenPolicy policy = policy(home.resolve("hashlists").resolve(POLICY_FILE));
            FacePipeline p;
            List<org.likeness.hashlist.HashList> held;
            try {
                p = pipeline();
                held = new HashListStore(home).held();
            } catch (IOException e) {
                // the server's models or held lists, not the request: 500 with an incident id, the path stays on the server
                throw new java.io.UncheckedIOException("screening cannot start on this server", e);
            }
            ScreenLists lists = new ScreenLists(held, Instant.now(), p.embedderId());
            ScreenResult r = new Screener(lists, p, policy, Runtime.getRuntime().availableProcessors())
                    .screen("upload", reader(uploads), Progress.none());
            Map<String, Object> logged = new LinkedHashMap<>();
            logged.put("account", call.caller().accountId());
            logged.put("images", r.images().size());
            logged.put("matched", r.matchedImages());
            logged.put("decision", r.decision());
            logged.put("face_dataset", r.faceDataset().verdict());
            call.registry().record("screen.run", logged);
            call.json(r.json());
        } finally {
            Uploads.delete(uploads.stream().map(Call.Upload::file).toList());
        }
    }

    private static ScreenPolicy policy(Path file) {
        if (!Files.isRegularFile(file)) {
            return ScreenPolicy.DEFAULT;
        }
        try {
            return ScreenPolicy.read(file);
        } catch (IOException e) {
            // the marketplace's own configuration is broken: fail, never screen with defaults it did not choose
            throw new Problem(Problem.Kind.UNAVAILABLE, "the server's screening policy is unreadable: " + e.getMessage()
                    .replace(file.toString(), POLICY_FILE));
        }
    }

    /** The uploads as a dataset, in the order sent, under the names the client gave. */
    private static DatasetReader reader(List<Call.Upload> uploads) {
        Iterator<Call.Upload> it = new ArrayList<>(uploads).iterator();
        return new DatasetReader() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public DatasetEntry next() {
                Call.Upload u = it.next();
                try {
                    return DatasetEntry.ok(u.name(), Files.readAllBytes(u.file()));
                } catch (IOException e) {
                    return DatasetEntry.failed(u.name(), "unreadable upload");
                }
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * A holder is an organisation's staff, not a marketplace: it may fetch a list only when every collection in it is its
     * own organisation's; another organisation's list answers exactly as a list never exported (404).
     */
    private static void requireOwnList(Call call, HashListPublication.Published latest, String name) throws IOException {
        var registry = call.services().registry();
        for (var c : org.likeness.hashlist.HashList.of(org.likeness.json.Json.MAPPER.readTree(latest.file()).get("list")).collections()) {
            if (!call.caller().organisation().equals(registry.collectionOrganisation(c.name()))) {
                throw new Problem(Problem.Kind.NOT_FOUND, "no list " + name + " was exported");
            }
        }
    }

    private static void hashlist(Call call) throws IOException {
        String name = call.path("name");
        String since = call.query("since");
        Path home = call.services().registry().location().home();
        HashListPublication pub = new HashListPublication(home, HolderKey.loadOrCreate(home.resolve("registry")));
        HashListPublication.Published p;
        try {
            if (call.caller().role() == Role.HOLDER) {
                requireOwnList(call, pub.latest(name), name);
            }
            if (since == null) {
                p = pub.latest(name);
            } else {
                long v;
                try {
                    v = Long.parseLong(since);
                } catch (NumberFormatException e) {
                    throw new Problem(Problem.Kind.BAD_REQUEST, "since must be a version number");
                }
                p = pub.since(name, v);
                if (p == null) {
                    HashListPublication.Published latest = pub.latest(name);
                    call.ctx().header("ETag", latest.etag()).status(304);
                    return;
                }
            }
        } catch (HashListException e) {
            throw new Problem(e.getMessage().startsWith("no list") ? Problem.Kind.NOT_FOUND : Problem.Kind.INVALID, e.getMessage());
        }
        call.ctx().header("ETag", p.etag());
        if (p.etag().equals(call.ctx().header("If-None-Match"))) {
            call.ctx().status(304);
            return;
        }
        call.ctx().status(200).contentType("application/json").result(p.file());
    }
}
