package org.likeness.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.likeness.account.Accounts;
import org.likeness.account.Role;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Organisations;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.serve.Faces;
import org.likeness.serve.LikenessServer;
import org.likeness.serve.RouteGroup;
import org.likeness.serve.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code likeness serve}: the registry as an HTTP service (README, "likeness serve"; docs/SECURITY.md). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the registry over HTTP: the API under /api/v1 (OpenAPI document at /api/v1/openapi.json),"
                + " /healthz and /readyz. One JSON access-log line per request on standard output. SIGTERM or Ctrl-C"
                + " stops gracefully: requests in flight finish first.",
                "--create-admin NAME makes the first admin account (password from LIKENESS_ADMIN_PASSWORD, else asked"
                        + " on the terminal) and exits."})
final class ServeCommand extends BaseCommand {
    /** The account name the server writes its own log entries as. */
    static final String ACTOR = "likeness-serve";
    private static final Pattern SIZE = Pattern.compile("(\\d+)([KMG]?)B?", Pattern.CASE_INSENSITIVE);

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "TCP port (0: any free one). Default 8080.")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default 127.0.0.1 (this machine only); put a TLS proxy in front for others.")
    String bind;

    @Mixin
    DbOption db;

    @Option(names = "--create-admin", paramLabel = "NAME", description = "Create an admin account in the default"
            + " organisation and exit.")
    String createAdmin;

    @Option(names = "--max-upload", paramLabel = "SIZE", defaultValue = "512M",
            description = "Largest request body (uploads), e.g. 200M or 2G; larger ones get 413 before they are read. Default 512M.")
    String maxUpload;

    @Option(names = "--demo", description = "Serve a fresh demo registry ($LIKENESS_HOME/serve-demo: three people from the"
            + " demo photos, the photos as a collection) with an admin, a holder, an auditor and a subject account whose"
            + " generated passwords are printed once, and print the console's URL.")
    boolean demo;

    private final Map<String, String> env;

    ServeCommand() {
        this(System.getenv());
    }

    ServeCommand(Map<String, String> env) {
        this.env = env;
    }

    /**
     * The route groups of other packages that the service serves besides its own (subjects, consents, collections, log,
     * accounts): the job engine's, screening's, the web console's. Each is constructed here and gets the service's
     * {@code Services} in {@code register}; its {@code stop} runs on graceful shutdown.
     *
     * @param session where the jobs open the registry (the same --db and environment as the service)
     * @param home    $LIKENESS_HOME: the jobs' folders are under {@code home/jobs}
     */
    static List<RouteGroup> routeGroups(org.likeness.app.RegistrySession session, java.nio.file.Path home) {
        java.util.function.Supplier<org.likeness.face.FacePipeline> pipelines = () -> org.likeness.face.FacePipeline.open(
                org.likeness.model.ModelStore.fromEnvironment(), org.likeness.face.FacePipeline.Options.defaults(1));
        return List.of(new org.likeness.web.WebRoutes(org.likeness.web.FacePicker.defaults()),
                new org.likeness.serve.ScreenRoutes(pipelines::get),
                // audits, traces, collection scans and releases as persistent jobs (docs/REGISTRY.md, "Jobs")
                new org.likeness.serve.JobRoutes(session, pipelines, org.likeness.jobs.JobEngine.Config.forMachine(), home.resolve("jobs")));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        long max = parseSize(maxUpload);
        Map<String, String> env = demo ? ServeDemo.environment(this.env) : this.env;
        List<ServeDemo.Login> demoLogins = demo ? ServeDemo.prepare(env, err()) : List.of();
        RegistryLocation location = db.location(env);
        try (MasterKey key = MasterKey.resolve(location.defaultKeyFile(), env);
             Registry registry = Registry.open(location, key, ACTOR)) {
            if (createAdmin != null) {
                return createAdmin(registry);
            }
            ServerConfig config = new ServerConfig(bind, port, max, location.home().resolve("serve").resolve("uploads"),
                    ServerConfig.DEFAULT_DRAIN_MS);
            PrintStream access = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
            LikenessServer server = new LikenessServer(config, registry, new Faces(PipelineFaceSource::openDefault),
                    routeGroups(new org.likeness.app.RegistrySession(db.db(), env), location.home()), access);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                server.stop();
                stopped.countDown();
            }, "likeness-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            server.start();
            if (!new org.likeness.account.Accounts(registry).anyAdmin()) {
                err().println("likeness: no admin account yet: run `likeness serve --create-admin NAME` to make one");
            }
            err().println("likeness serve: listening on http://" + bind + ":" + server.port() + LikenessServer.API
                    + " (OpenAPI at " + LikenessServer.API + "/openapi.json)");
            if (demo) {
                err().println("likeness serve --demo: open http://" + bind + ":" + server.port() + "/login and sign in as");
                demoLogins.forEach(l -> err().println("  " + l.name() + " (" + l.role() + ")  password " + l.password()));
                err().println("  (the passwords are generated for this run and shown only here)");
            }
            err().flush();
            stopped.await();
            return ExitCodes.OK;
        }
    }

    private int createAdmin(Registry registry) {
        char[] password;
        String fromEnv = env.get("LIKENESS_ADMIN_PASSWORD");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            password = fromEnv.toCharArray();
        } else if (System.console() != null) {
            password = System.console().readPassword("password for %s: ", createAdmin);
            char[] again = System.console().readPassword("again: ");
            if (password == null || !java.util.Arrays.equals(password, again)) {
                throw new UserException("the passwords differ: nothing was created");
            }
        } else {
            throw new UserException("--create-admin needs a password: set LIKENESS_ADMIN_PASSWORD or run it on a terminal");
        }
        var a = new Accounts(registry).create(ACTOR, createAdmin, password, Role.ADMIN, Organisations.DEFAULT, null);
        java.util.Arrays.fill(password, '\0');
        out().println("created admin account " + a.name() + " (id " + a.id() + ") in organisation " + a.organisation());
        return ExitCodes.OK;
    }

    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new UserException("--max-upload " + text + ": expected a size such as 200M, 2G or 1048576");
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "K" -> 1024L;
            case "M" -> 1024L * 1024;
            case "G" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        if (n <= 0 || n > Long.MAX_VALUE / unit) {
            throw new UserException("--max-upload " + text + ": must be positive");
        }
        return n * unit;
    }
}
