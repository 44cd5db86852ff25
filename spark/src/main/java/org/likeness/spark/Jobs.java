package org.likeness.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.likeness.model.ModelStore;
import org.likeness.scan.DatasetReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the scan and the audit job share: the session, the shards, the models shipped once. */
final class Jobs {
    private Jobs() {
    }

    /** The shards of a dataset (a folder of shards, a glob, one .tar or .parquet), in dataset order. */
    static List<ShardTasks.Shard> shards(Path dataset) throws IOException {
        List<Path> files = DatasetReader.shards(dataset);
        if (files == null) {
            throw new IOException(dataset + ": not WebDataset or Parquet shards (a folder of .tar/.parquet files, a glob of"
                    + " them, or one of them); for a folder of images use `likeness scan`/`likeness audit`");
        }
        List<ShardTasks.Shard> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            out.add(new ShardTasks.Shard(i, files.get(i).toAbsolutePath().toString()));
        }
        return out;
    }

    /**
     * A session on {@code master} unless spark-submit already chose one; {@code env} holds executor environment
     * variables (secrets: their names contain SECRET, which Spark's UI and logs redact).
     */
    static SparkSession session(String app, String master, Map<String, String> executorEnv) {
        SparkConf conf = new SparkConf().setAppName(app);
        if (!conf.contains("spark.master")) {
            conf.setMaster(master);
        }
        executorEnv.forEach(conf::setExecutorEnv);
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /**
     * The pipeline's models: a path every executor can read ({@code --models}, a LIKENESS_HOME with models/), or the
     * driver's model folder shipped once to every executor with SparkContext.addFile.
     */
    static ExecutorPipeline.Spec models(SparkSession spark, String sharedModels, String detector, boolean flip, boolean refine) {
        if (sharedModels != null) {
            return new ExecutorPipeline.Spec(sharedModels, detector, flip, refine);
        }
        Path models = ModelStore.fromEnvironment().home().resolve("models");
        if (!Files.isDirectory(models)) {
            throw new IllegalStateException(models + " is missing: run `likeness models fetch` first");
        }
        // one archive, unpacked once per executor (addFile of a folder works only in local mode)
        Path zip = zipModels(models);
        spark.sparkContext().addArchive(zip.toString());
        return new ExecutorPipeline.Spec(null, detector, flip, refine);
    }

    /** Name of the models archive on the executors (SparkFiles.get(MODELS_ARCHIVE) is a LIKENESS_HOME). */
    static final String MODELS_ARCHIVE = "likeness-models.zip";

    /** models/ID/FILE of every model file in a zip under a fresh temporary folder, deleted when the JVM ends. */
    private static Path zipped;

    private static synchronized Path zipModels(Path models) {
        if (zipped != null && Files.isRegularFile(zipped)) {
            return zipped; // one archive per driver JVM: Spark refuses a second file of the same name
        }
        try {
            Path dir = Files.createTempDirectory("likeness-spark-");
            Path zip = dir.resolve(MODELS_ARCHIVE);
            try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip));
                 java.util.stream.Stream<Path> files = Files.walk(models.toRealPath())) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new java.util.zip.ZipEntry("models/" + models.toRealPath().relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
            zip.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            zipped = zip;
            return zip;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot pack the models for the executors: " + e.getMessage(), e);
        }
    }

    /** One partition per shard: a shard is the unit of work (a 1,000-image img2dataset shard ≈ 15 s on one core). */
    static JavaRDD<ShardTasks.Shard> partitions(SparkSession spark, List<ShardTasks.Shard> shards) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return jsc.parallelize(shards, Math.max(1, shards.size()));
    }
}
