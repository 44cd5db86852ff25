package org.likeness.spark;

import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.likeness.face.Face;
import org.likeness.registry.Identification;
import org.likeness.registry.TemplateGallery;
import org.likeness.scan.DatasetEntry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.ScanRecord;
import org.likeness.scan.ScanRunner;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** What an executor does with one shard: read it, scan every entry, and (for the audit) identify every face. */
final class ShardTasks {
    private ShardTasks() {
    }

    /** A shard and its place in the dataset's order. */
    record Shard(int index, String path) implements Serializable {
    }

    /** The broadcast gallery snapshot an audit identifies against: its id (public) and sealed bytes. */
    record Snapshot(String id, Broadcast<byte[]> bytes) implements Serializable {
    }

    /** Scan rows ({@link FaceRows#ORDERED}) of the shards of one partition. */
    static Iterator<Row> scan(Iterator<Shard> shards, ExecutorPipeline.Spec spec) throws IOException {
        return run(shards, spec, null);
    }

    /**
     * Scan rows followed by the identification of the row's face: outcome, candidate, score, runner-up, runner-up
     * score (nulls on a row without a face).
     */
    static Iterator<Row> audit(Iterator<Shard> shards, ExecutorPipeline.Spec spec, Snapshot snapshot) throws IOException {
        return run(shards, spec, snapshot);
    }

    private static Iterator<Row> run(Iterator<Shard> shards, ExecutorPipeline.Spec spec, Snapshot snapshot) throws IOException {
        ScanRunner runner = ExecutorPipeline.runner(spec);
        TemplateGallery gallery = snapshot == null ? null : ExecutorGallery.get(snapshot.id(), snapshot.bytes().value());
        List<Row> out = new ArrayList<>();
        while (shards.hasNext()) {
            Shard s = shards.next();
            try (DatasetReader reader = DatasetReader.ofShards(List.of(Path.of(s.path())))) {
                int entry = 0;
                while (reader.hasNext()) {
                    DatasetEntry e = reader.next();
                    ScanRecord r = runner.process(e);
                    if (gallery == null) {
                        out.addAll(FaceRows.rows(r, s.index(), entry++));
                    } else if (r.faces().isEmpty()) {
                        out.addAll(FaceRows.rows(r, s.index(), entry++, null, null, null, null, null));
                    } else {
                        // one row per face, each with its own identification (FaceRows.rows order)
                        List<Row> rows = FaceRows.rows(r, s.index(), entry++);
                        for (int i = 0; i < rows.size(); i++) {
                            Face f = r.faces().get(i);
                            Identification id = gallery.identify(f.embedding().vector());
                            out.add(extend(rows.get(i), id));
                        }
                    }
                }
            }
        }
        return out.iterator();
    }

    private static Row extend(Row r, Identification id) {
        Object[] v = new Object[r.length() + 5];
        for (int i = 0; i < r.length(); i++) {
            v[i] = r.get(i);
        }
        int k = r.length();
        v[k] = id.outcome().name();
        v[k + 1] = id.candidate();
        v[k + 2] = Double.isNaN(id.score()) ? null : id.score();
        v[k + 3] = id.runnerUp();
        v[k + 4] = Double.isNaN(id.runnerUpScore()) ? null : id.runnerUpScore();
        return org.apache.spark.sql.RowFactory.create(v);
    }
}
