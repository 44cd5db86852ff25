package org.likeness.spark;

import org.apache.spark.sql.SparkSession;
import org.likeness.registry.InputTime;
import org.likeness.registry.Purpose;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code likeness spark scan|audit …} and the main class for spark-submit: the single-process commands' arguments
 * plus {@code --master URL} (default {@code local[*]}; spark-submit's own --master wins).
 */
@Command(name = "likeness spark", mixinStandardHelpOptions = true, subcommands = {SparkMain.Scan.class, SparkMain.Audit.class, SparkMain.Trace.class},
        description = "Scan, audit or trace WebDataset/Parquet shards on Apache Spark.")
public final class SparkMain implements Callable<Integer> {
    /** Exit codes of the CLI (README): 0 ok / all consented, 1 some files failed, 2 error, 3 not consented. */
    static final int OK = 0, SOME_FAILED = 1, ERROR = 2, NOT_CONSENTED = 3;

    public static void main(String[] args) {
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Runs a command; returns its exit code (tests call this). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new SparkMain()).setOut(out).setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("likeness: " + (e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("")));
            return ERROR;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return ERROR;
    }

    abstract static class Common {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "A folder of .tar/.parquet shards, a quoted glob ('data/0000*.tar'), or one shard.")
        Path dataset;
        @Option(names = "--master", description = "Spark master URL (default local[*]; spark-submit's --master wins).")
        String master = "local[*]";
        @Option(names = "--models", description = "A LIKENESS_HOME every executor can read (models/ inside); default: ship the driver's models with the job.")
        String models;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    @Command(name = "scan", mixinStandardHelpOptions = true, description = "Images → Parquet face records (a folder of part files).")
    static final class Scan extends Common implements Callable<Integer> {
        @Option(names = {"-o", "--output"}, required = true, description = "Output folder (Parquet); must not exist.")
        Path output;

        @Override
        public Integer call() throws Exception {
            SparkSession spark = Jobs.session("likeness scan " + dataset, master, java.util.Map.of());
            try {
                ExecutorPipeline.Spec spec = Jobs.models(spark, models, null, false, false);
                ScanJob.Summary s = ScanJob.run(spark, dataset, output, spec, err());
                out().println(s.line());
                return s.failures() > 0 ? SOME_FAILED : OK;
            } finally {
                spark.stop();
            }
        }
    }

    @Command(name = "trace", mixinStandardHelpOptions = true,
            description = "Trace suspect shards to the registered collections from their scan (PDQ copies, same persons); names no recipient.")
    static final class Trace extends Common implements Callable<Integer> {
        @Option(names = "--db", paramLabel = "URL", description = "JDBC URL of the registry (default: the H2 registry under $LIKENESS_HOME).")
        String db;
        @Option(names = "--report", paramLabel = "DIR", description = "Write trace.json and report.html here.")
        Path report;

        @Override
        public Integer call() throws Exception {
            org.likeness.trace.TraceResult r;
            try {
                r = TraceJob.run(master, dataset, db, report, models, System.getenv(), err());
            } finally {
                SparkSession.getActiveSession().foreach(s -> {
                    s.stop();
                    return null;
                });
            }
            out().println(r.text());
            // as likeness trace: copies found 3; some photos not traced, or nothing at all, 1; else 0
            return !r.collections().isEmpty() ? NOT_CONSENTED : r.failed() > 0 || r.images().isEmpty() ? SOME_FAILED : OK;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "Audit shards against the registry: findings.json, findings.csv, report.html and findings.parquet in --report.")
    static final class Audit extends Common implements Callable<Integer> {
        @Option(names = "--purpose", required = true, description = "training, evaluation, publication or identification.")
        String purpose;
        @Option(names = "--at", description = "Time the consent is evaluated at (ISO date or instant; default now).")
        String at;
        @Option(names = "--db", paramLabel = "URL", description = "JDBC URL of the registry (default: the H2 registry under $LIKENESS_HOME).")
        String db;
        @Option(names = "--report", required = true, description = "Folder for the findings and the report.")
        Path report;
        @Option(names = "--show-faces", description = "Sharp thumbnails in report.html (blurred by default).")
        boolean showFaces;
        @Option(names = "--blocks", description = "Identify against the gallery split into N sign-code blocks (a power of two)"
                + " instead of broadcasting it; default: blocks above " + BlockIdentify.BROADCAST_MAX_TEMPLATES + " templates.")
        int blocks;

        @Override
        public Integer call() throws Exception {
            Purpose p = Purpose.parse(purpose);
            Instant when = at == null ? Instant.now() : InputTime.parse("--at", at);
            AuditJob.Outcome o;
            try {
                o = AuditJob.run(master, dataset, p, when, db, report, showFaces, models, blocks, System.getenv(), err());
            } finally {
                SparkSession.getActiveSession().foreach(s -> {
                    s.stop();
                    return null;
                });
            }
            out().println(AuditJob.line(o.result()));
            out().println("report: " + report.resolve("report.html").toAbsolutePath());
            return o.result().allConsented() ? OK : NOT_CONSENTED;
        }
    }
}
