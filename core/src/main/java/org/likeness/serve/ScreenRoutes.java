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
    public static final int MAX_SYNC_IMAGES = 200;
    /** The marketplace's policy, when the server's home has one (else {@link ScreenPolicy#DEFAULT}). */
    static final String POLICY_FILE = "policy.json";

    /** Opens the face pipeline (loading the models takes seconds: done on the first screen). */
    @FunctionalInterface
    public interface PipelineOpener {
        FacePipeline open() throws IOException;
    }

    private final PipelineOpener opener;
    private final java.util.function.Supplier<org.likeness.jobs.JobEngine> engine;
    private final int maxSyncImages;
    private FacePipeline pipeline;

    /** Synchronous screens only (a larger listing gets 413). */
    public ScreenRoutes(PipelineOpener opener) {
        this(opener, () -> null, MAX_SYNC_IMAGES);
    }

    /**
     * @param engine        the job engine a listing of more than {@code maxSyncImages} images is screened by (202 with
     *                      the job; its answer at {@code GET /screens/{id}}); a null engine: 413 as without one
     * @param maxSyncImages the largest listing screened in the request ({@link #MAX_SYNC_IMAGES}; tests lower it)
     */
    public ScreenRoutes(PipelineOpener opener, java.util.function.Supplier<org.likeness.jobs.JobEngine> engine, int maxSyncImages) {
        this.opener = opener;
        this.engine = engine;
        this.maxSyncImages = maxSyncImages;
    }

    @Override
    public void register(Routes routes, Services services) {
        routes.post("/screen", "Screen a listing (multipart field `images`): face dataset, matches against the hash lists this"
                        + " server holds, and the policy's decision (allow, review, block); at most " + MAX_SYNC_IMAGES + " images are"
                        + " answered at once, a larger listing with 202 and a screen job whose answer is GET /screens/{id}")
                .tag("screening").roles(Role.SCREENER).multipart()
                .alsoAnswers(202, "A listing above the synchronous limit: the screen job (Location: its GET /screens/{id})")
                .handle(this::screen);
        routes.get("/screens/{id}", "A screen job of the caller's organisation: 200 with the same JSON as a synchronous screen"
                        + " once it succeeded, 202 with the job while it is queued or running, 409 when it failed")
                .tag("screening").roles(Role.SCREENER).alsoAnswers(202, "The job, while it is queued or running")
                .handle(this::screenJob);
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
            Path home = call.services().registry().location().home();
            Path policyFile = home.resolve("hashlists").resolve(POLICY_FILE);
            ScreenPolicy policy = policy(policyFile);
            if (uploads.size() > maxSyncImages) {
                org.likeness.jobs.JobEngine jobs = engine.get();
                if (jobs == null) {
                    throw new Problem(Problem.Kind.TOO_LARGE, uploads.size() + " images: a synchronous screen takes at most " + maxSyncImages
                            + "; screen larger listings with `likeness screen`");
                }
                submit(call, jobs, uploads, Files.isRegularFile(policyFile) ? policyFile : null);
                return;
            }
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

    /** A screen job of the listing: the uploads move into the job's folder, numbered, with their names beside them. */
    private static void submit(Call call, org.likeness.jobs.JobEngine jobs, List<Call.Upload> uploads, Path policyFile)
            throws IOException {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("label", uploads.size() + " uploaded images");
        if (policyFile != null) {
            request.put("policy", policyFile.toString());
        }
        org.likeness.jobs.Job job = jobs.submit(org.likeness.jobs.JobKind.SCREEN, request, call.caller().organisation(),
                call.caller().accountId(), folder -> {
                    Path listing = org.likeness.files.PrivateFiles.createDirectories(folder.resolve("input").resolve("listing"));
                    List<String> names = new ArrayList<>();
                    for (int i = 0; i < uploads.size(); i++) {
                        Files.move(uploads.get(i).file(), listing.resolve(Integer.toString(i)), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                        names.add(uploads.get(i).name());
                    }
                    org.likeness.json.Json.MAPPER.writeValue(listing.resolve(org.likeness.jobs.UseCaseRunners.SCREEN_NAMES).toFile(), names);
                    return Map.of("listing", listing.toString());
                });
        call.ctx().header("Location", LikenessServer.API + "/screens/" + job.id());
        call.json(202, job.json());
    }

    /** The caller's organisation's screen job named in the path; any other job is "does not exist". */
    private void screenJob(Call call) throws IOException {
        String id = call.path("id");
        org.likeness.jobs.JobEngine jobs = engine.get();
        org.likeness.jobs.Job j = jobs == null || id.length() > 64 ? null : jobs.get(id);
        if (j == null || j.kind() != org.likeness.jobs.JobKind.SCREEN || !call.caller().organisation().equals(j.org())) {
            throw new org.likeness.registry.NotFoundException("screen '" + org.likeness.registry.InputText.printable(
                    org.likeness.registry.InputText.abbreviate(id)) + "' does not exist");
        }
        switch (j.state()) {
            case SUCCEEDED -> call.ctx().status(200).contentType("application/json")
                    .result(Files.newInputStream(j.folder().resolve(org.likeness.jobs.UseCaseRunners.SCREEN_JSON)));
            case QUEUED, RUNNING -> call.json(202, j.json());
            // the error names the listing's files inside the job's folder: by their place in it, not the server's path
            default -> throw new Problem(Problem.Kind.CONFLICT, "screen " + j.id() + " is " + j.state().word()
                    + (j.error() == null ? "" : ": " + j.error().replace(j.folder().toString() + java.io.File.separator, "")));
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
     * Whether every collection the list covers belongs to the caller's organisation (a list of none, or of a collection
     * since removed, is no one's). Screeners are not asked: publishing a list hands it to every screener of this server.
     */
    private static boolean holdersOwn(Call call, HashListPublication.Published latest) throws IOException {
        org.likeness.hashlist.HashList l = org.likeness.hashlist.HashList.of(org.likeness.json.Json.MAPPER.readTree(latest.file()).get("list"));
        String org = call.caller().organisation();
        return !l.collections().isEmpty()
                && l.collections().stream().allMatch(c -> org.equals(call.registry().collectionOrganisation(c.name())));
    }

    private static void hashlist(Call call) throws IOException {
        String name = call.path("name");
        String since = call.query("since");
        Path home = call.services().registry().location().home();
        HashListPublication pub = new HashListPublication(home, HolderKey.loadOrCreate(home.resolve("registry")));
        HashListPublication.Published p;
        try {
            if (call.caller().role() == Role.HOLDER && !holdersOwn(call, pub.latest(name))) {
                // a holder reads only the lists of its own organisation's collections; another's is "not exported"
                throw new HashListException("no list " + name + " was exported");
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
