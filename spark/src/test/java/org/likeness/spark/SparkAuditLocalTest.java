package org.likeness.spark;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.json.Json;
import org.likeness.registry.Purpose;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spark audit on local[2] against the single-process audit of the same WebDataset shards (200 real lfw-dev
 * photos in shards of 50, plus a truncated shard, a non-image member and a wrong-schema Parquet file): the same
 * findings. Then the scan job's Parquet read back by Spark.
 */
class SparkAuditLocalTest {
    @TempDir
    Path tmp;

    @Test
    void sparkAuditOnLocal2FindsWhatTheSingleProcessAuditFinds() throws Exception {
        AuditFixture f = AuditFixture.write(tmp, 200, 50, 8);
        Instant at = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // after the grants
        Path single = tmp.resolve("single");
        assertThat(f.cli("audit", f.shards.toString(), "--purpose", "training", "--at", at.toString(), "--report", single.toString()))
                .isEqualTo(3);
        StringWriter err = new StringWriter();
        Path distributed = tmp.resolve("spark");
        AuditJob.Outcome o = AuditJob.run("local[2]", f.shards, Purpose.parse("training"), at, null, distributed, false, null, f.env,
                new PrintWriter(err, true));
        JsonNode a = Json.MAPPER.readTree(single.resolve("findings.json").toFile());
        JsonNode b = Json.MAPPER.readTree(distributed.resolve("findings.json").toFile());
        AuditFixture.assertSameFindings(a, b);
        // the fixture is what it claims: consented, unconsented and unknown faces, and the three bad inputs
        assertThat(b.get("summary").get("consented").asInt()).isPositive();
        assertThat(b.get("summary").get("no_consent").asInt()).isPositive();
        assertThat(b.get("summary").get("unknown").asInt()).isPositive();
        assertThat(b.get("summary").get("images").asInt()).isEqualTo(200 + 3 + 1);
        assertThat(err.toString().lines().filter(l -> l.startsWith("likeness: ")).toList()).containsExactly(
                "likeness: 00000.tar/000009999.jpg: not an image (unrecognised file signature)",
                "likeness: 90000.tar!: archive is corrupt or truncated after 2 entries: Truncated TAR archive",
                "likeness: metadata.parquet: wrong schema: no image column (a struct with a binary 'bytes' field, as Hugging Face"
                        + " datasets writes); columns: key binary, url binary, width int32");
        assertThat(distributed.resolve("report.html")).exists();
        // the partitioned identification (gallery in 4 sign-code blocks, no broadcast): the same findings again
        Path blocked = tmp.resolve("spark-blocks");
        AuditJob.run("local[2]", f.shards, Purpose.parse("training"), at, null, blocked, false, null, 4, f.env,
                new PrintWriter(new StringWriter(), true));
        AuditFixture.assertSameFindings(a, Json.MAPPER.readTree(blocked.resolve("findings.json").toFile()));
        assertThat(ExecutorPipeline.opened()).as("one pipeline in this JVM, shared by every task").isEqualTo(1);
        SparkSession spark = SparkSession.builder().master("local[2]").getOrCreate();
        try {
            Dataset<Row> findings = spark.read().parquet(distributed.resolve("findings.parquet").toString());
            assertThat(findings.count()).isEqualTo(b.get("summary").get("faces").asLong());
            assertThat(findings.filter("status = 'consented'").count()).isEqualTo(b.get("summary").get("consented").asLong());
            // the scan job: every image and face of the shards as Parquet rows, each bad input one line and counted
            StringWriter scanErr = new StringWriter();
            Path scan = tmp.resolve("scan.parquet");
            ScanJob.Summary s = ScanJob.run(spark, f.shards, scan, Jobs.models(spark, null, null, false, false), new PrintWriter(scanErr, true));
            assertThat(s.images()).isEqualTo(b.get("summary").get("images").asLong());
            assertThat(s.faces()).isEqualTo(b.get("summary").get("faces").asLong());
            assertThat(s.failures()).isEqualTo(3);
            assertThat(scanErr.toString().lines().filter(l -> l.startsWith("likeness: ")).count()).isEqualTo(3);
            Dataset<Row> rows = spark.read().parquet(scan.toString());
            assertThat(rows.filter("face is not null").count()).isEqualTo(s.faces());
            assertThat(rows.select("path").distinct().count()).isEqualTo(s.images());
            assertThat(rows.filter("face is not null and size(embedding) <> 512").count()).isZero();
        } finally {
            spark.stop();
        }
    }
}
