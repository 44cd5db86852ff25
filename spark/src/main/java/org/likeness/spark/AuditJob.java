package org.likeness.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.likeness.audit.AuditFiles;
import org.likeness.audit.AuditResult;
import org.likeness.audit.AuditStatus;
import org.likeness.audit.Auditor;
import org.likeness.audit.Finding;
import org.likeness.audit.ReportPage;
import org.likeness.audit.Thumbnailer;
import org.likeness.cluster.ChineseWhispers;
import org.likeness.face.MatchThreshold;
import org.likeness.files.PrivateFiles;
import org.likeness.registry.GallerySnapshot;
import org.likeness.registry.Identification;
import org.likeness.registry.MasterKey;
import org.likeness.registry.MatchPolicy;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.ScanRecord;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code likeness spark audit SHARDS --purpose P --report DIR}: the scan and the identification run on the executors
 * (each against the registry's gallery, sealed and broadcast once); the driver then decides consent, the probe gate
 * and the identities exactly as {@code likeness audit} does ({@link Auditor} with the executors' identifications), and
 * writes findings.json, findings.csv and report.html as the CLI does, plus findings.parquet.
 */
final class AuditJob {
    /** Identification columns after {@link FaceRows#ORDERED}. */
    static final StructType IDENTIFIED = FaceRows.ORDERED.add("outcome", DataTypes.StringType, true)
            .add("candidate", DataTypes.StringType, true).add("id_score", DataTypes.DoubleType, true)
            .add("runner_up", DataTypes.StringType, true).add("runner_up_score", DataTypes.DoubleType, true);
    static final StructType FINDINGS = new StructType().add("path", DataTypes.StringType, false)
            .add("box_x", DataTypes.FloatType, false).add("box_y", DataTypes.FloatType, false)
            .add("box_w", DataTypes.FloatType, false).add("box_h", DataTypes.FloatType, false)
            .add("subject", DataTypes.StringType, true).add("status", DataTypes.StringType, false)
            .add("similarity", DataTypes.DoubleType, false).add("identity", DataTypes.IntegerType, false)
            .add("decided_by", DataTypes.LongType, true).add("reason", DataTypes.StringType, true);

    /** What the audit decided, and where it wrote it. */
    record Outcome(AuditResult result, Path report) {
    }

    private AuditJob() {
    }

    /**
     * @param master  Spark master (unless spark-submit set one)
     * @param env     where LIKENESS_HOME and LIKENESS_MASTER_KEY are looked up (the driver's)
     */
    static Outcome run(String master, Path dataset, Purpose purpose, Instant at, String db, Path report, boolean showFaces,
                       String sharedModels, Map<String, String> env, PrintWriter err) throws Exception {
        return run(master, dataset, purpose, at, db, report, showFaces, sharedModels, 0, env, err);
    }

    /**
     * @param blocks gallery blocks for a partitioned identification ({@link BlockIdentify}); 0: a broadcast up to
     *               {@link BlockIdentify#BROADCAST_MAX_TEMPLATES} templates, blocks above
     */
    static Outcome run(String master, Path dataset, Purpose purpose, Instant at, String db, Path report, boolean showFaces,
                       String sharedModels, int blocks, Map<String, String> env, PrintWriter err) throws Exception {
        List<ShardTasks.Shard> shards = Jobs.shards(dataset);
        OutputTree.checkOutside(dataset, report, "the report");
        PrivateFiles.createDirectories(report);
        RegistryLocation loc = RegistryLocation.resolve(db, env);
        try (MasterKey key = MasterKey.resolve(loc.defaultKeyFile(), env); Registry registry = Registry.open(loc, key, "audit")) {
            // the embedder's id, as the executors' pipelines will report it (and in local mode: their pipeline)
            ExecutorPipeline.Spec probe = new ExecutorPipeline.Spec(sharedModels != null ? sharedModels
                    : org.likeness.model.ModelStore.fromEnvironment().home().toString(), null, false, false);
            String embedder;
            Map<String, String> models = new LinkedHashMap<>();
            try (org.likeness.face.FacePipeline p = ExecutorPipeline.open(probe)) {
                embedder = p.embedderId();
                models.put("detector", p.detectorId());
                models.put("landmarks", p.landmarksId());
                models.put("embedder", embedder);
            }
            float threshold = MatchThreshold.forIdentification(embedder,
                    Math.max(registry.subjects().size(), registry.templateCount(embedder)));
            MatchPolicy policy = MatchPolicy.withProvisionalMargin(threshold);
            registry.usePolicy(policy);
            int templates = registry.templateCount(embedder);
            int blockCount = blocks > 0 ? blocks : templates > BlockIdentify.BROADCAST_MAX_TEMPLATES ? BlockIdentify.blocksFor(templates) : 0;
            List<GallerySnapshot.Sealed> sealed = blockCount > 0 ? registry.snapshotBlocks(embedder, blockCount)
                    : List.of(registry.snapshot(embedder));
            String secret = sealed.get(0).key();
            ExecutorGallery.setLocalKey(secret);
            SparkSession spark = Jobs.session("likeness audit " + dataset, master, Map.of(ExecutorGallery.KEY_ENV, secret));
            List<Row> rows;
            try {
                ExecutorPipeline.Spec spec = Jobs.models(spark, sharedModels, null, false, false);
                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                if (blockCount == 0) {
                    Broadcast<byte[]> bytes = jsc.broadcast(sealed.get(0).bytes());
                    ShardTasks.Snapshot snapshot = new ShardTasks.Snapshot(sealed.get(0).id(), bytes);
                    JavaRDD<Row> identified = Jobs.partitions(spark, shards).mapPartitions(it -> ShardTasks.audit(it, spec, snapshot));
                    rows = new ArrayList<>(identified.collect());
                    bytes.destroy();
                } else {
                    rows = scanThenIdentifyInBlocks(jsc, Jobs.partitions(spark, shards).mapPartitions(it -> ShardTasks.scan(it, spec)),
                            sealed, policy);
                }
            } finally {
                ExecutorGallery.setLocalKey(null);
            }
            rows.sort(Comparator.comparingInt((Row r) -> r.getInt(20)).thenComparingInt(r -> r.getInt(21))
                    .thenComparingInt(r -> r.isNullAt(9) ? -1 : r.getInt(9)));
            List<ScanRecord> records = new ArrayList<>();
            List<Identification> ids = new ArrayList<>();
            for (int i = 0; i < rows.size(); ) {
                int j = i;
                while (j < rows.size() && rows.get(j).getInt(20) == rows.get(i).getInt(20) && rows.get(j).getInt(21) == rows.get(i).getInt(21)) {
                    j++;
                }
                List<Row> group = rows.subList(i, j);
                ScanRecord r = FaceRows.record(group, embedder);
                records.add(r);
                if (r.ok()) {
                    group.stream().filter(FaceRows::hasFace).forEach(row -> ids.add(identification(row)));
                }
                i = j;
            }
            records.stream().filter(r -> !r.ok()).forEach(r -> err.println("likeness: "
                    + org.likeness.files.TerminalText.escape(r.path()) + ": " + r.error()));
            long faceCount = records.stream().mapToLong(r -> r.faces().size()).sum();
            float clusterThreshold = MatchThreshold.atFmr(embedder, ChineseWhispers.edgeFmr((int) Math.min(Integer.MAX_VALUE, faceCount)));
            AuditResult result = new Auditor(registry, embedder, purpose, at).audit(dataset.toString(), records, models, threshold,
                    clusterThreshold, faces -> ids.toArray(Identification[]::new));
            Map<String, Object> logged = new LinkedHashMap<>();
            logged.put("dataset", dataset.toString());
            logged.put("purpose", purpose.word());
            logged.put("at", at.toString());
            logged.put("faces", result.faceCount());
            logged.put("consented", result.count(AuditStatus.CONSENTED));
            logged.put("failed", result.failedCount());
            logged.put("verdict", result.allConsented() ? "consented" : "not_consented");
            logged.put("engine", "spark");
            registry.record("audit.run", logged);
            write(spark, result, dataset, report, showFaces, purpose, at);
            return new Outcome(result, report);
        }
    }

    /** The scan rows, then each face identified against the gallery's blocks; rows as {@link #IDENTIFIED}. */
    private static List<Row> scanThenIdentifyInBlocks(JavaSparkContext jsc, JavaRDD<Row> scanned, List<GallerySnapshot.Sealed> blocks,
                                                      MatchPolicy policy) {
        JavaRDD<Row> cached = scanned.cache();
        try {
            org.apache.spark.api.java.JavaPairRDD<Long, float[]> probes = cached.filter(FaceRows::hasFace)
                    .mapToPair(r -> new scala.Tuple2<>(probeKey(r), FaceRows.floatArray(r, 19)));
            Map<Long, BlockIdentify.Scored> scored = BlockIdentify.identify(jsc, probes, blocks, policy).collectAsMap();
            List<Row> out = new ArrayList<>();
            for (Row r : cached.collect()) {
                Object[] v = new Object[IDENTIFIED.size()];
                for (int i = 0; i < r.length(); i++) {
                    v[i] = r.get(i);
                }
                BlockIdentify.Scored s = FaceRows.hasFace(r) ? scored.get(probeKey(r)) : null;
                if (s != null) {
                    int k = r.length();
                    v[k] = s.outcome();
                    v[k + 1] = s.candidate();
                    v[k + 2] = Double.isNaN(s.score()) ? null : s.score();
                    v[k + 3] = s.runnerUp();
                    v[k + 4] = Double.isNaN(s.runnerUpScore()) ? null : s.runnerUpScore();
                }
                out.add(RowFactory.create(v));
            }
            return out;
        } finally {
            cached.unpersist();
        }
    }

    /** A face's key: shard, entry and face index packed (20 + 28 + 16 bits). */
    static long probeKey(Row r) {
        return ((long) r.getInt(20) << 44) | ((long) r.getInt(21) << 16) | r.getInt(9);
    }

    private static Identification identification(Row r) {
        int k = FaceRows.ORDERED.size();
        return new Identification(Identification.Outcome.valueOf(r.getString(k)), r.getString(k + 1),
                r.isNullAt(k + 2) ? Double.NaN : r.getDouble(k + 2), r.getString(k + 3), r.isNullAt(k + 4) ? Double.NaN : r.getDouble(k + 4));
    }

    private static void write(SparkSession spark, AuditResult result, Path dataset, Path report, boolean showFaces, Purpose purpose,
                              Instant at) throws Exception {
        AuditFiles.writeJson(result, report.resolve("findings.json"));
        AuditFiles.writeCsv(result, report.resolve("findings.csv"));
        Set<Integer> wanted = ReportPage.thumbnailsShown(result);
        Map<Integer, String> thumbs;
        try (DatasetReader reader = DatasetReader.open(dataset)) {
            thumbs = Thumbnailer.make(reader, result.faces(), wanted, showFaces);
        }
        String command = "likeness spark audit " + dataset + " --purpose " + purpose.word() + " --at " + at + " --report " + report;
        OutputTree.writeFile(report.resolve("report.html"),
                ReportPage.html(result, thumbs::get, showFaces, command).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String written : new String[] {"findings.json", "findings.csv", "report.html"}) {
            PrivateFiles.restrict(report.resolve(written));
        }
        List<Row> findings = new ArrayList<>();
        for (Finding f : result.faces()) {
            findings.add(RowFactory.create(f.path(), f.box().x(), f.box().y(), f.box().w(), f.box().h(), f.subject(), f.status().word(),
                    f.similarity(), f.identity(), f.decidedBy(), f.reason()));
        }
        spark.createDataFrame(findings, FINDINGS).coalesce(1).write().mode(SaveMode.Overwrite)
                .parquet(report.resolve("findings.parquet").toString());
    }

    /** The summary line of {@code likeness audit}. */
    static String line(AuditResult result) {
        int bad = result.faces().size() - result.count(AuditStatus.CONSENTED);
        String notAssessable = result.count(AuditStatus.NOT_ASSESSABLE) == 0 ? ""
                : ", " + result.count(AuditStatus.NOT_ASSESSABLE) + " not assessable";
        return String.format("%s: %d images, %d faces, %d identities; %d consented, %d not (%d unknown%s); %d failed",
                result.allConsented() ? "CONSENTED" : "NOT CONSENTED", result.imageCount(), result.faceCount(),
                result.identityCount(), result.count(AuditStatus.CONSENTED), bad, result.count(AuditStatus.UNKNOWN), notAssessable,
                result.failedCount());
    }
}
