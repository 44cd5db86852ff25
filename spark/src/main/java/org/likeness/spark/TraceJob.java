package org.likeness.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.likeness.files.PrivateFiles;
import org.likeness.json.Json;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.registry.Release;
import org.likeness.scan.OutputTree;
import org.likeness.scan.ScanRecord;
import org.likeness.trace.RegisteredImages;
import org.likeness.trace.TraceReport;
import org.likeness.trace.TraceResult;
import org.likeness.trace.Tracer;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code likeness spark trace SHARDS --report DIR}: the suspect shards are scanned on the executors (PDQ and faces),
 * and the driver traces the records against the registered collections exactly as {@code likeness trace SCAN} does
 * ({@link Tracer#traceScan}): the registered photo each suspect photo copies (PDQ) or shows the same person as (face).
 * No recipient is named: the fingerprint needs the photo's pixels beside the original's, which this job does not ship.
 */
final class TraceJob {
    private TraceJob() {
    }

    static TraceResult run(String master, Path dataset, String db, Path report, String sharedModels, Map<String, String> env,
                           PrintWriter err) throws Exception {
        List<ShardTasks.Shard> shards = Jobs.shards(dataset);
        if (report != null) {
            OutputTree.checkOutside(dataset, report, "the report");
        }
        RegistryLocation loc = RegistryLocation.resolve(db, env);
        try (MasterKey key = MasterKey.resolve(loc.defaultKeyFile(), env); Registry registry = Registry.open(loc, key, "trace")) {
            RegisteredImages registered = RegisteredImages.load(registry);
            try {
                if (registered.size() == 0) {
                    throw new IllegalArgumentException("no collection is registered: nothing to trace against (see `likeness collection add`)");
                }
                SparkSession spark = Jobs.session("likeness trace " + dataset, master, Map.of());
                ExecutorPipeline.Spec spec = Jobs.models(spark, sharedModels, null, false, false);
                List<Row> rows = new ArrayList<>(Jobs.partitions(spark, shards).mapPartitions(it -> ShardTasks.scan(it, spec)).collect());
                String embedder;
                try (org.likeness.face.FacePipeline p = ExecutorPipeline.open(new ExecutorPipeline.Spec(sharedModels != null ? sharedModels
                        : org.likeness.model.ModelStore.fromEnvironment().home().toString(), null, false, false))) {
                    embedder = p.embedderId();
                }
                List<ScanRecord> records = records(rows, embedder);
                Map<String, List<Release>> releases = new HashMap<>();
                registry.releases(null).forEach(x -> releases.computeIfAbsent(x.collection(), k -> new ArrayList<>()).add(x));
                Tracer tracer = new Tracer(registered, releases, id -> {
                    throw new IllegalStateException("a trace from scan records names no recipient");
                }, name -> null, null, 1);
                TraceResult result = tracer.traceScan(dataset.toString(), records);
                Map<String, Object> logged = new LinkedHashMap<>();
                logged.put("suspect", dataset.toString());
                logged.put("images", result.images().size());
                logged.put("collections", result.collections());
                logged.put("recipients", result.recipients());
                logged.put("engine", "spark");
                registry.record("trace.run", logged);
                result.images().stream().filter(org.likeness.trace.TracedImage::failed)
                        .forEach(i -> err.println("likeness: " + org.likeness.files.TerminalText.escape(i.path()) + ": " + i.note()));
                if (report != null) {
                    PrivateFiles.createDirectories(report);
                    OutputTree.writeFile(report.resolve("trace.json"), Json.PRETTY.writeValueAsBytes(result.json()));
                    OutputTree.writeFile(report.resolve("report.html"), TraceReport.html(result, "likeness spark trace " + dataset
                            + " --report " + report).getBytes(StandardCharsets.UTF_8));
                }
                return result;
            } finally {
                registered.clearFaces();
            }
        }
    }

    /** Scan rows back to records in dataset order (shard, entry; faces in row order). */
    static List<ScanRecord> records(List<Row> rows, String embedder) {
        rows.sort(Comparator.comparingInt((Row r) -> r.getInt(20)).thenComparingInt(r -> r.getInt(21))
                .thenComparingInt(r -> r.isNullAt(9) ? -1 : r.getInt(9)));
        List<ScanRecord> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); ) {
            int j = i;
            while (j < rows.size() && rows.get(j).getInt(20) == rows.get(i).getInt(20) && rows.get(j).getInt(21) == rows.get(i).getInt(21)) {
                j++;
            }
            out.add(FaceRows.record(rows.subList(i, j), embedder));
            i = j;
        }
        return out;
    }
}
