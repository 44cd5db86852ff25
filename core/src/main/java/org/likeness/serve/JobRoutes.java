package org.likeness.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.likeness.account.Role;
import org.likeness.app.RegistrySession;
import org.likeness.face.FacePipeline;
import org.likeness.files.PrivateFiles;
import org.likeness.jobs.Job;
import org.likeness.jobs.JobEngine;
import org.likeness.jobs.JobEvent;
import org.likeness.jobs.JobKind;
import org.likeness.jobs.JobState;
import org.likeness.jobs.UseCaseRunners;
import org.likeness.json.Json;
import org.likeness.registry.InputText;
import org.likeness.registry.InputTime;
import org.likeness.registry.NotFoundException;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;

/**
 * Audits, traces, collection registration and releases over HTTP, as persistent jobs ({@link JobEngine}): a POST
 * answers 202 with the job at once; {@code GET /jobs/{id}} and its Server-Sent Events follow it; the results are read
 * from the job's folder. A dataset is an uploaded .zip, .tar or .tar.gz (streamed to disk under --max-upload, read by
 * the same archive reader as {@code likeness scan}: traversal and bomb limits apply) or a server path inside a folder
 * the admin allowed to the organisation. A job of another organisation is answered as one that does not exist.
 */
public final class JobRoutes implements RouteGroup {
    /** An SSE stream sends a comment this often when nothing happens, so proxies and Jetty's idle timeout keep it open. */
    static final long KEEP_ALIVE_SECONDS = 15;
    /** Events buffered per stream; when a slow client falls this far behind, progress events are dropped (states never are). */
    static final int EVENT_BUFFER = 1024;
    /** Archive kinds an upload may be, by its name's ending (what {@code DatasetReader.open} reads). */
    static final List<String> ARCHIVES = List.of(".tar.gz", ".tgz", ".zip", ".tar");

    private final RegistrySession session;
    private final Supplier<FacePipeline> pipelines;
    private final JobEngine.Config config;
    private final Path jobsFolder;
    private volatile JobEngine engine;
    private volatile boolean stopping;

    /** @param jobsFolder where each job's folder is made ($LIKENESS_HOME/jobs) */
    public JobRoutes(RegistrySession session, Supplier<FacePipeline> pipelines, JobEngine.Config config, Path jobsFolder) {
        this.session = session;
        this.pipelines = pipelines;
        this.config = config;
        this.jobsFolder = jobsFolder;
    }

    /** The engine, once the routes are registered (tests wait on its jobs). */
    public JobEngine engine() {
        return engine;
    }

    @Override
    public void register(Routes routes, Services services) {
        engine = new JobEngine(services.registry().jobs(), jobsFolder, new UseCaseRunners(session, pipelines), config);
        engine.start();
        routes.post("/audits", "Audit a dataset (upload `dataset`, or `path` on the server) for `purpose` at `at`: a job")
                .tag("jobs").roles(Role.HOLDER).multipart().status(202).handle(this::audit);
        routes.post("/traces", "Trace a suspect dataset (upload `suspect`, or `path`): a job").tag("jobs").roles(Role.HOLDER)
                .multipart().status(202).handle(this::trace);
        routes.post("/collections", "Register a dataset (upload `dataset`, or `path`) as collection `name`: a job").tag("jobs")
                .roles(Role.HOLDER).multipart().status(202).handle(this::collection);
        routes.post("/collections/{name}/rescan", "Rescan the collection's dataset where it was registered (added, removed and"
                + " changed images, re-identified): a job").tag("jobs").roles(Role.HOLDER).status(202).handle(this::rescan);
        routes.post("/collections/{name}/releases", "Release a fingerprinted copy of the collection to `recipient`: a job whose"
                + " archive is GET /jobs/{id}/archive").tag("jobs").roles(Role.HOLDER).json().status(202).handle(this::release);
        routes.get("/jobs", "The organisation's jobs, newest first").tag("jobs").roles(Role.HOLDER, Role.AUDITOR).paged()
                .handle(this::list);
        routes.get("/jobs/{id}", "A job: state, progress, result counts or error").tag("jobs").roles(Role.HOLDER, Role.AUDITOR)
                .handle(call -> call.json(job(call).json()));
        routes.get("/jobs/{id}/events", "A job's progress as Server-Sent Events (state, progress, problem) until it ends")
                .tag("jobs").roles(Role.HOLDER, Role.AUDITOR).handle(this::events);
        routes.delete("/jobs/{id}", "Cancel a job (queued: at once; running: at its next file)").tag("jobs").roles(Role.HOLDER)
                .handle(call -> call.json(engine.cancel(job(call).id(), "cancelled by " + call.caller().name()).json()));
        routes.get("/jobs/{id}/archive", "A finished release job's fingerprinted copy (zip)").tag("jobs").roles(Role.HOLDER)
                .handle(this::archive);
        routes.get("/audits/{id}/findings", "A finished audit's findings.json").tag("jobs").roles(Role.HOLDER, Role.AUDITOR)
                .handle(call -> file(call, JobKind.AUDIT, UseCaseRunners.REPORT + "/findings.json", "application/json", "findings"));
        routes.get("/audits/{id}/report", "A finished audit's report.html (faces blurred unless asked)").tag("jobs")
                .roles(Role.HOLDER, Role.AUDITOR)
                .handle(call -> file(call, JobKind.AUDIT, UseCaseRunners.REPORT + "/report.html", "text/html; charset=utf-8", "audit report"));
        routes.get("/traces/{id}", "A finished trace's trace.json").tag("jobs").roles(Role.HOLDER, Role.AUDITOR)
                .handle(call -> file(call, JobKind.TRACE, UseCaseRunners.REPORT + "/trace.json", "application/json", "trace"));
    }

    @Override
    public void stop() {
        stopping = true;
        JobEngine e = engine;
        if (e != null) {
            e.shutdown(30);
        }
    }

    // ---- creating jobs ---------------------------------------------------------------------------------------------

    private void audit(Call call) throws IOException {
        Purpose purpose = Purpose.parse(required(call, "purpose"));
        String at = call.form("at");
        if (at != null) {
            InputTime.parse("at", at); // refused now (422), not when the job runs
        }
        Map<String, String> request = new LinkedHashMap<>();
        request.put("purpose", purpose.word());
        if (at != null) {
            request.put("at", at);
        }
        request.put("show_faces", Boolean.toString("true".equals(call.form("show_faces"))));
        submit(call, JobKind.AUDIT, request, "dataset", "dataset");
    }

    private void trace(Call call) throws IOException {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("faces", Boolean.toString(!"false".equals(call.form("faces"))));
        submit(call, JobKind.TRACE, request, "suspect", "suspect");
    }

    private void collection(Call call) throws IOException {
        String name = required(call, "name");
        Registry registry = call.registry();
        if (registry.collectionOrganisation(name) != null) {
            throw new Problem(Problem.Kind.CONFLICT, "collection '" + InputText.printable(name) + "' is already registered");
        }
        Map<String, String> request = new LinkedHashMap<>();
        request.put("name", name);
        String owner = call.form("owner");
        if (owner != null) {
            request.put("owner", owner);
        }
        submit(call, JobKind.COLLECTION_SCAN, request, "dataset", "dataset");
    }

    private void rescan(Call call) throws IOException {
        String name = call.path("name");
        Tenancy.requireCollection(call.registry(), call.caller(), name);
        Map<String, String> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("mode", "rescan");
        request.put("label", name);
        accepted(call, engine.submit(JobKind.COLLECTION_SCAN, request, call.caller().organisation(), call.caller().accountId()));
    }

    private void release(Call call) throws IOException {
        String name = call.path("name");
        Tenancy.requireCollection(call.registry(), call.caller(), name);
        String recipient = call.requiredText("recipient");
        Registry.checkRecipient(recipient);
        Job job = engine.submit(JobKind.RELEASE, Map.of("collection", name, "recipient", recipient), call.caller().organisation(),
                call.caller().accountId());
        accepted(call, job);
    }

    /**
     * A job whose input is an upload in form field {@code field} or a server {@code path} (exactly one); the request
     * field {@code requestField} names where the job reads it.
     */
    private void submit(Call call, JobKind kind, Map<String, String> request, String field, String requestField) throws IOException {
        String org = call.caller().organisation();
        String path = call.form("path");
        List<Call.Upload> uploads = call.uploads(field);
        try {
            if ((path == null) == uploads.isEmpty() || uploads.size() > 1) {
                throw new Problem(Problem.Kind.BAD_REQUEST, "give either one file in '" + field + "' or a server 'path', not both or neither");
            }
            Job job;
            if (path != null) {
                Path real = call.services().allowedPaths().resolve(org, path);
                request.put(requestField, real.toString());
                request.put("label", real.toString());
                job = engine.submit(kind, request, org, call.caller().accountId());
            } else {
                Call.Upload u = uploads.get(0);
                String ext = archiveKind(u.name());
                request.put("label", u.name());
                job = engine.submit(kind, request, org, call.caller().accountId(), folder -> {
                    Path input = PrivateFiles.createDirectories(folder.resolve("input"));
                    Path target = input.resolve(field + ext);
                    Files.move(u.file(), target, StandardCopyOption.ATOMIC_MOVE);
                    return Map.of(requestField, target.toString());
                });
            }
            accepted(call, job);
        } finally {
            Uploads.delete(uploads.stream().map(Call.Upload::file).toList());
        }
    }

    private static String archiveKind(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String ext : ARCHIVES) {
            if (n.endsWith(ext)) {
                return ext;
            }
        }
        throw new Problem(Problem.Kind.MEDIA_TYPE, "upload " + name + " is not a .zip, .tar or .tar.gz archive");
    }

    private static String required(Call call, String field) {
        String v = call.form(field);
        if (v == null) {
            throw new Problem(Problem.Kind.BAD_REQUEST, "form field '" + field + "' is required");
        }
        return v;
    }

    private static void accepted(Call call, Job job) {
        call.ctx().header("Location", LikenessServer.API + "/jobs/" + job.id());
        call.json(job.json());
    }

    // ---- reading jobs ----------------------------------------------------------------------------------------------

    /** The caller's organisation's job named in the path; anything else is "does not exist". */
    private Job job(Call call) {
        String id = call.path("id");
        Job j = id.length() > 64 ? null : engine.get(id);
        if (j == null || j.org() == null || !j.org().equals(call.caller().organisation())) {
            throw new NotFoundException("job '" + InputText.printable(InputText.abbreviate(id)) + "' does not exist");
        }
        return j;
    }

    private void list(Call call) {
        int limit = call.limit();
        int offset = 0;
        if (call.after() != null) {
            try {
                offset = Integer.parseInt(call.after());
            } catch (NumberFormatException e) {
                throw new Problem(Problem.Kind.BAD_REQUEST, "after must be the `next` value of the previous page");
            }
        }
        List<Job> page = engine.list(call.caller().organisation(), offset, limit);
        int next = offset + page.size();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", page.stream().map(Job::json).toList());
        m.put("next", page.size() < limit ? null : Integer.toString(next));
        call.json(m);
    }

    /** A result file of a finished job of {@code kind}; its read is logged (it names subjects or shows faces). */
    private void file(Call call, JobKind kind, String relative, String type, String record) throws IOException {
        Job j = job(call);
        if (j.kind() != kind) {
            throw new NotFoundException("job '" + j.id() + "' is not " + (kind == JobKind.AUDIT ? "an audit" : "a " + kind.word()));
        }
        if (j.state() != JobState.SUCCEEDED) {
            throw new Problem(Problem.Kind.CONFLICT, "job " + j.id() + " is " + j.state().word() + ": its results exist once it succeeded");
        }
        call.recordRead(record, null, "job results");
        if (type.startsWith("text/html")) { // the report: its inline style and data-URI thumbnails, no script
            call.ctx().header("Content-Security-Policy", org.likeness.audit.ReportPage.CSP);
        }
        call.ctx().status(200).contentType(type).result(Files.newInputStream(j.folder().resolve(relative)));
    }

    private void archive(Call call) throws IOException {
        Job j = job(call);
        if (j.kind() != JobKind.RELEASE) {
            throw new NotFoundException("job '" + j.id() + "' is not a release");
        }
        if (j.state() != JobState.SUCCEEDED) {
            throw new Problem(Problem.Kind.CONFLICT, "job " + j.id() + " is " + j.state().word() + ": its archive exists once it succeeded");
        }
        call.recordRead("release archive", null, "release delivery");
        call.ctx().header("Content-Disposition", "attachment; filename=\"release-" + j.id() + ".zip\"");
        call.ctx().status(200).contentType("application/zip").result(Files.newInputStream(j.folder().resolve(UseCaseRunners.RELEASE_ZIP)));
    }

    /** Server-Sent Events: the job's state first, then each event, until it ends (or the server stops). */
    private void events(Call call) throws Exception {
        Job j = job(call);
        BlockingQueue<JobEvent> queue = new LinkedBlockingQueue<>(EVENT_BUFFER);
        var res = call.ctx().res();
        res.setStatus(200);
        res.setContentType("text/event-stream");
        res.setCharacterEncoding("UTF-8");
        res.setHeader("Cache-Control", "no-store");
        OutputStream out = res.getOutputStream();
        try (AutoCloseable sub = engine.subscribe(j.id(), e -> {
            if (!queue.offer(e) && JobEvent.STATE.equals(e.type())) {
                queue.clear(); // a client too slow for progress still hears the end
                queue.offer(e);
            }
        })) {
            long idle = 0;
            while (!stopping) {
                JobEvent e = queue.poll(1, TimeUnit.SECONDS);
                if (e == null) {
                    if (++idle >= KEEP_ALIVE_SECONDS) {
                        idle = 0;
                        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                    continue;
                }
                idle = 0;
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("job", e.jobId());
                data.put("state", e.state().word());
                if (JobEvent.PROGRESS.equals(e.type())) {
                    data.put("stage", e.stage());
                    data.put("done", e.done());
                    data.put("total", e.total() < 0 ? null : e.total());
                }
                if (e.message() != null) {
                    data.put("message", e.message());
                }
                out.write(("event: " + e.type() + "\ndata: " + Json.MAPPER.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (JobEvent.STATE.equals(e.type()) && e.state().finished()) {
                    break;
                }
            }
        }
    }

}
