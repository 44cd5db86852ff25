package org.likeness.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Spark standalone cluster on 127.0.0.1 for a test: a Master and two Workers (one core each) as child JVMs,
 * started from the jars the test runs with. Workers launch executors from a SPARK_HOME (WorkerCommandBuilder puts
 * $SPARK_HOME/jars/* on their class path), so a throw-away SPARK_HOME is built whose jars/ links every jar of this
 * test's class path; the module's and the core's class folders reach executors as spark.executor.extraClassPath.
 */
final class StandaloneCluster implements AutoCloseable {
    /** How long the master may take to see both workers (a cold JVM start each on a loaded 2-core machine). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    final String masterUrl;
    final String extraClassPath;
    private final List<Process> processes = new ArrayList<>();
    private final int webUiPort;

    StandaloneCluster(Path dir) throws IOException, InterruptedException {
        Path home = dir.resolve("spark-home");
        Path jars = home.resolve("jars");
        Files.createDirectories(jars);
        Files.createDirectories(home.resolve("conf"));
        List<String> folders = new ArrayList<>();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                folders.add(p.toAbsolutePath().toString());
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        this.extraClassPath = String.join(java.io.File.pathSeparator, folders);
        int port = freePort();
        this.webUiPort = freePort();
        this.masterUrl = "spark://127.0.0.1:" + port;
        String classPath = jars + "/*" + java.io.File.pathSeparator + extraClassPath;
        processes.add(start(home, dir.resolve("master.log"), classPath, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(webUiPort)));
        for (int w = 0; w < 2; w++) {
            processes.add(start(home, dir.resolve("worker" + w + ".log"), classPath, "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", String.valueOf(freePort()),
                    "--work-dir", dir.resolve("work" + w).toString(), masterUrl));
        }
        awaitWorkers(2);
    }

    private static Process start(Path home, Path log, String classPath, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        for (String o : System.getProperty("spark.jvm.options", "").split(" ")) {
            if (!o.isBlank()) {
                cmd.add(o);
            }
        }
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // a hermetic environment: nothing of the test command's LIKENESS_* or PG* settings reaches the cluster
        pb.environment().keySet().removeIf(k -> k.startsWith("LIKENESS_") || k.startsWith("PG") || k.startsWith("SPARK_"));
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void awaitWorkers(int n) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUiPort + "/json/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (last.replaceAll("\\s", "").contains("\"aliveworkers\":" + n)) {
                    return;
                }
            } catch (IOException notYet) {
                // the master is still starting
            }
            Thread.sleep(500);
        }
        close();
        throw new IOException("the standalone cluster did not get " + n + " workers in " + START_TIMEOUT + ": " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
