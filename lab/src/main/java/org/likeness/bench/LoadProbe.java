package org.likeness.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.likeness.cli.Main;
import org.likeness.json.Json;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;

/**
 * A bounded open-loop load generator for `likeness serve` (docs/BENCHMARKS.md, "The service under load"): a child
 * server on a fresh H2 registry with SUBJECTS subjects, then RATE requests a second for SECONDS seconds, nine consent
 * status reads to one consent grant, each sent at its scheduled time whatever the server's state (latency is measured
 * from the scheduled time, so a stall is not hidden). Afterwards the stored consents are counted against the
 * acknowledged ones. With IMAGES and PHOTOS, an audit job of the first PHOTOS photos of IMAGES (sorted, one zip upload)
 * is started just before the load and runs beside it, as the service's target asks. Run it by hand:
 * {@code java -cp "lab/target/likeness-lab.jar:core/target/likeness.jar:core/target/lib/*:lab/target/lib/*"
 * org.likeness.bench.LoadProbe [RATE] [SECONDS] [IMAGES PHOTOS]}.
 */
public final class LoadProbe {
    static final int SUBJECTS = 100;

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Path images = args.length > 3 ? Path.of(args[2]) : null;
        int photos = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Path home = Files.createTempDirectory("likeness-load");
        Map<String, String> env = Map.of("LIKENESS_HOME", home.toString(), "LIKENESS_ADMIN_PASSWORD", "load probe admin");
        run(env, "registry", "init");
        // the audit job beside the load needs the models: this process's cache, linked into the fresh home
        Files.createSymbolicLink(home.resolve("models"), org.likeness.model.ModelStore.fromEnvironment().home().resolve("models"));
        RegistryLocation loc = RegistryLocation.resolve(null, env);
        try (MasterKey key = MasterKey.resolve(loc.defaultKeyFile(), env); Registry r = Registry.open(loc, key, "load")) {
            for (int i = 0; i < SUBJECTS; i++) {
                r.addSubject("default", "s" + i, null, "load-model", List.of(), List.of());
            }
        }
        run(env, "serve", "--create-admin", "admin");
        String classpath = System.getProperty("java.class.path");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", classpath, Main.class.getName(), "serve", "--port", "0").redirectErrorStream(true)
                .redirectOutput(home.resolve("serve.log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG"));
        pb.environment().put("LIKENESS_HOME", home.toString());
        Process server = pb.start();
        try {
            String base = null;
            for (int i = 0; i < 600 && base == null; i++) {
                Thread.sleep(100);
                for (String line : Files.readAllLines(home.resolve("serve.log"))) {
                    if (line.contains("\"event\":\"started\"")) {
                        base = "http://127.0.0.1:" + Json.MAPPER.readTree(line).get("port").asInt() + "/api/v1";
                    }
                }
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .executor(Executors.newFixedThreadPool(16)).build();
            String adminKey = adminKey(http, base);
            String holderId = Json.MAPPER.readTree(post(http, base, adminKey, "/accounts",
                    "{\"name\":\"holder\",\"role\":\"holder\"}").body()).get("id").asText();
            String holderKey = Json.MAPPER.readTree(post(http, base, adminKey, "/keys", "{\"account\":\"" + holderId + "\"}")
                    .body()).get("secret").asText();
            // warm-up: JIT, connection pool, the registry's first verification
            for (int i = 0; i < 200; i++) {
                get(http, base, holderKey, "/subjects/s" + (i % SUBJECTS) + "/status?purpose=training");
            }
            String job = images == null ? null : startAudit(http, base, holderKey, images, photos);
            long jobStart = System.nanoTime();

            ConcurrentLinkedQueue<long[]> statusLat = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<long[]> writeLat = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
            AtomicInteger errors = new AtomicInteger();
            AtomicInteger pending = new AtomicInteger();
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            long periodNs = 1_000_000_000L / rate;
            int total = rate * seconds;
            AtomicInteger sent = new AtomicInteger();
            long start = System.nanoTime() + 50_000_000L;
            String b = base;
            String k = holderKey;
            clock.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                // every request whose time has come is sent now, measured from its scheduled time
                while (sent.get() < total && start + sent.get() * periodNs <= now) {
                    int n = sent.getAndIncrement();
                    long scheduled = start + n * periodNs;
                    boolean write = n % 10 == 9;
                    String subject = "s" + (n * 7 % SUBJECTS);
                    HttpRequest req = write
                            ? HttpRequest.newBuilder(URI.create(b + "/subjects/" + subject + "/consents"))
                                .header("Authorization", "Bearer " + k).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"purpose\":\"evaluation\",\"legal_basis\":\"load " + n + "\"}"))
                                .build()
                            : HttpRequest.newBuilder(URI.create(b + "/subjects/" + subject + "/status?purpose=training"))
                                .header("Authorization", "Bearer " + k).timeout(Duration.ofSeconds(30)).GET().build();
                    pending.incrementAndGet();
                    http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                        long ms = System.nanoTime() - scheduled;
                        pending.decrementAndGet();
                        if (err != null || resp.statusCode() >= 300) {
                            errors.incrementAndGet();
                            return;
                        }
                        (write ? writeLat : statusLat).add(new long[] {ms});
                        if (write) {
                            try {
                                acknowledged.add(Json.MAPPER.readTree(resp.body()).get("id").asLong());
                            } catch (Exception e) {
                                errors.incrementAndGet();
                            }
                        }
                    });
                }
            }, 0, 1, TimeUnit.MILLISECONDS);
            while (sent.get() < total) {
                Thread.sleep(100);
            }
            long sendEnd = System.nanoTime();
            clock.shutdown();
            while (pending.get() > 0 && System.nanoTime() - sendEnd < 60_000_000_000L) {
                Thread.sleep(50);
            }
            long stored = 0;
            for (int i = 0; i < SUBJECTS; i++) {
                String after = null;
                do {
                    var page = Json.MAPPER.readTree(get(http, base, holderKey, "/subjects/s" + i + "/consents?limit=200"
                            + (after == null ? "" : "&after=" + after)).body());
                    stored += page.get("items").size();
                    after = page.get("next").isNull() ? null : page.get("next").asText();
                } while (after != null);
            }
            String heap = heap(server.pid());
            System.out.printf("rate %d/s for %d s: %d requests sent in %.1f s; %d errors; %d still pending%n", rate, seconds,
                    total, (sendEnd - start) / 1e9, errors.get(), pending.get());
            System.out.println("status reads: " + summary(statusLat));
            System.out.println("consent writes: " + summary(writeLat));
            System.out.println("writes acknowledged " + acknowledged.size() + ", consents stored " + stored + ", lost "
                    + Math.max(0, acknowledged.size() - stored));
            System.out.println("server heap: " + heap);
            if (job != null) {
                String state;
                do {
                    var j = Json.MAPPER.readTree(get(http, base, holderKey, "/jobs/" + job).body());
                    state = j.get("state").asText();
                    if (state.equals("queued") || state.equals("running")) {
                        Thread.sleep(500);
                    } else {
                        System.out.printf("audit job of %d photos beside the load: %s after %.1f s (%s)%s%n", photos, state,
                                (System.nanoTime() - jobStart) / 1e9, j.get("progress"), j.hasNonNull("error") ? " " + j.get("error") : "");
                    }
                } while (state.equals("queued") || state.equals("running"));
            }
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
        System.exit(0); // the HTTP client's worker threads would keep the JVM alive
    }

    /** Uploads the first {@code photos} photos of {@code images} (sorted) as one zip to POST /audits; returns the job id. */
    private static String startAudit(HttpClient http, String base, String key, Path images, int photos) throws Exception {
        List<Path> files;
        try (var walk = Files.walk(images)) {
            files = walk.filter(Files::isRegularFile).sorted().limit(photos).toList();
        }
        var zipBytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(zipBytes)) {
            for (Path f : files) {
                zip.putNextEntry(new java.util.zip.ZipEntry(images.relativize(f).toString()));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        String boundary = "likeness-load-" + System.nanoTime();
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ntraining\r\n").getBytes());
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"dataset\"; filename=\"photos.zip\"\r\n"
                + "Content-Type: application/zip\r\n\r\n").getBytes());
        body.writeBytes(zipBytes.toByteArray());
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/audits"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("POST /audits: " + r.statusCode() + " " + r.body());
        }
        System.out.println("audit job of " + files.size() + " photos started");
        return Json.MAPPER.readTree(r.body()).get("id").asText();
    }

    private static String summary(ConcurrentLinkedQueue<long[]> lat) {
        List<Long> v = new ArrayList<>();
        lat.forEach(a -> v.add(a[0]));
        Collections.sort(v);
        if (v.isEmpty()) {
            return "none";
        }
        return String.format("n %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms", v.size(), v.get(v.size() / 2) / 1e6,
                v.get((int) Math.min(v.size() - 1, Math.ceil(v.size() * 0.99) - 1)) / 1e6, v.get(v.size() - 1) / 1e6);
    }

    private static String heap(long pid) {
        try {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
                    "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(30, TimeUnit.SECONDS);
            for (String line : out.split("\n")) {
                if (line.contains("total") && line.contains("used")) {
                    return line.trim();
                }
            }
            return out.trim();
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static void run(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(env, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), args);
        if (code != 0) {
            throw new IllegalStateException(String.join(" ", args) + ": " + err);
        }
    }

    private static String adminKey(HttpClient http, String base) throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"admin\",\"password\":\"load probe admin\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("likeness_session="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow(() -> new IllegalStateException(login.body()));
        String csrf = Json.MAPPER.readTree(login.body()).get("csrf_token").asText();
        HttpResponse<String> key = http.send(HttpRequest.newBuilder(URI.create(base + "/keys")).header("Content-Type", "application/json")
                .header("Cookie", cookie).header("X-CSRF-Token", csrf).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(key.body()).get("secret").asText();
    }

    private static HttpResponse<String> post(HttpClient http, String base, String key, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(path + ": " + r.body());
        }
        return r;
    }

    private static HttpResponse<String> get(HttpClient http, String base, String key, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + r.body());
        }
        return r;
    }
}
