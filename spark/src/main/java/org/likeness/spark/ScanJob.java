package org.likeness.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code likeness spark scan SHARDS -o OUT.parquet}: every image of every shard → Parquet face records (the columns of
 * {@code likeness scan -o x.parquet}, written by Spark as a folder of part files).
 */
final class ScanJob {
    /** Failure lines printed by the driver; all are counted. */
    static final int PRINTED_FAILURES = 1000;

    record Summary(long images, long faces, long failures, double seconds) {
        String line() {
            return String.format(Locale.ROOT, "scanned %d images, %d faces, %d failures in %.1f s (%.1f images/s)", images, faces,
                    failures, seconds, seconds > 0 ? images / seconds : 0);
        }
    }

    private ScanJob() {
    }

    static Summary run(SparkSession spark, Path dataset, Path output, ExecutorPipeline.Spec spec, PrintWriter err) throws Exception {
        long t0 = System.nanoTime();
        List<ShardTasks.Shard> shards = Jobs.shards(dataset);
        JavaRDD<Row> rows = Jobs.partitions(spark, shards).mapPartitions(it -> ShardTasks.scan(it, spec));
        Dataset<Row> df = spark.createDataFrame(rows, FaceRows.ORDERED).cache();
        try {
            df.drop("shard", "entry").write().mode(SaveMode.ErrorIfExists).parquet(output.toString());
            // every row is one face, or the one row of an image without a face (failed images included)
            Dataset<Row> images = df.select("shard", "entry", "path", "error").distinct();
            long imageCount = images.count();
            long faces = df.filter("face is not null").count();
            List<Row> failed = images.filter("error is not null").orderBy("shard", "entry").collectAsList();
            failed.stream().limit(PRINTED_FAILURES).forEach(r -> err.println("likeness: "
                    + org.likeness.files.TerminalText.escape(r.getString(2)) + ": " + r.getString(3)));
            err.flush();
            return new Summary(imageCount, faces, failed.size(), (System.nanoTime() - t0) / 1e9);
        } finally {
            df.unpersist();
        }
    }
}
