package org.likeness.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.json.Json;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit job on a real standalone cluster (a master and two one-core workers on 127.0.0.1, executors in their own
 * JVMs): tasks serialised, models shipped with addFile, the gallery snapshot broadcast and opened with the key given
 * as an executor secret; the same findings as the single-process audit.
 */
class SparkAuditStandaloneTest {
    @TempDir
    Path tmp;

    @Test
    void auditOnAStandaloneClusterOfTwoWorkersFindsWhatTheSingleProcessAuditFinds() throws Exception {
        AuditFixture f = AuditFixture.write(tmp, 40, 10, 4);
        Instant at = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Path single = tmp.resolve("single");
        f.cli("audit", f.shards.toString(), "--purpose", "training", "--at", at.toString(), "--report", single.toString());
        try (StandaloneCluster cluster = new StandaloneCluster(tmp.resolve("cluster"))) {
            System.setProperty("spark.executor.extraClassPath", cluster.extraClassPath);
            System.setProperty("spark.executor.memory", "1g");
            System.setProperty("spark.driver.host", "127.0.0.1");
            System.setProperty("spark.driver.bindAddress", "127.0.0.1");
            System.setProperty("spark.ui.enabled", "false");
            Path distributed = tmp.resolve("spark");
            StringWriter err = new StringWriter();
            java.util.List<String> executors;
            try {
                AuditJob.run(cluster.masterUrl, f.shards, org.likeness.registry.Purpose.parse("training"), at, null, distributed, false,
                        null, f.env, new PrintWriter(err, true));
                // ask the same executors (same application, still up) which JVM they are and how many pipelines they opened
                org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
                        org.apache.spark.sql.SparkSession.active().sparkContext());
                executors = jsc.parallelize(java.util.stream.IntStream.range(0, 40).boxed().toList(), 40)
                        .map(i -> ProcessHandle.current().pid() + ":" + ExecutorPipeline.opened()).distinct().collect();
            } finally {
                org.apache.spark.sql.SparkSession.getActiveSession().foreach(s -> {
                    s.stop();
                    return null;
                });
                for (String k : new String[] {"spark.executor.extraClassPath", "spark.executor.memory", "spark.driver.host",
                        "spark.driver.bindAddress", "spark.ui.enabled"}) {
                    System.clearProperty(k);
                }
            }
            JsonNode a = Json.MAPPER.readTree(single.resolve("findings.json").toFile());
            JsonNode b = Json.MAPPER.readTree(distributed.resolve("findings.json").toFile());
            AuditFixture.assertSameFindings(a, b);
            assertThat(b.get("summary").get("faces").asInt()).isGreaterThan(30);
            // two executor JVMs, neither of them this one, each with one face pipeline however many shards it scanned
            assertThat(executors.stream().map(e -> e.split(":")[0]).distinct().toList()).hasSize(2)
                    .doesNotContain(String.valueOf(ProcessHandle.current().pid()));
            assertThat(executors).allMatch(e -> e.endsWith(":1"), "one pipeline per executor: " + executors);
            // both workers ran an executor of the job
            try (var s = Files.list(tmp.resolve("cluster/work0")); var t = Files.list(tmp.resolve("cluster/work1"))) {
                assertThat(s.count()).isPositive();
                assertThat(t.count()).isPositive();
            }
        }
    }
}
