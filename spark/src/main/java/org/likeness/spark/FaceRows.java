package org.likeness.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.likeness.face.Box;
import org.likeness.face.Embedding;
import org.likeness.face.Face;
import org.likeness.face.FaceQuality;
import org.likeness.face.Landmarks;
import org.likeness.scan.ScanRecord;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Scan records as Spark rows: the columns of the core's Parquet scan (docs/FORMATS.md, "Scan records as Parquet"),
 * one row per face and one per image without a face, plus {@code shard} and {@code entry}, the record's place in the
 * dataset, so the driver can put records back in the single-process order.
 */
final class FaceRows {
    static final StructType SCAN = new StructType(new StructField[] {
            field("path", DataTypes.StringType, false), field("sha256", DataTypes.StringType, true),
            field("format", DataTypes.StringType, true), field("width", DataTypes.IntegerType, false),
            field("height", DataTypes.IntegerType, false), field("pdq", DataTypes.BinaryType, true),
            field("pdq_quality", DataTypes.IntegerType, true), field("error", DataTypes.StringType, true),
            field("faces", DataTypes.IntegerType, false), field("face", DataTypes.IntegerType, true),
            field("box_x", DataTypes.FloatType, true), field("box_y", DataTypes.FloatType, true),
            field("box_w", DataTypes.FloatType, true), field("box_h", DataTypes.FloatType, true),
            field("score", DataTypes.FloatType, true), field("landmarks", floats(), true),
            field("quality", DataTypes.FloatType, true), field("eye_px", DataTypes.FloatType, true),
            field("sharpness", DataTypes.FloatType, true), field("embedding", floats(), true)});
    /** Columns after {@link #SCAN}: the record's shard and its entry number in the shard. */
    static final StructType ORDERED = SCAN.add("shard", DataTypes.IntegerType, false).add("entry", DataTypes.IntegerType, false);

    private FaceRows() {
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    private static DataType floats() {
        return DataTypes.createArrayType(DataTypes.FloatType, false);
    }

    /** The rows of one record, each followed by {@code extra} values. */
    static List<Row> rows(ScanRecord r, int shard, int entry, Object... extra) {
        List<Row> out = new ArrayList<>();
        if (r.faces().isEmpty()) {
            out.add(row(r, -1, null, shard, entry, extra));
        }
        for (int i = 0; i < r.faces().size(); i++) {
            out.add(row(r, i, r.faces().get(i), shard, entry, extra));
        }
        return out;
    }

    private static Row row(ScanRecord r, int index, Face f, int shard, int entry, Object[] extra) {
        List<Object> v = new ArrayList<>(24 + extra.length);
        v.add(r.path());
        v.add(r.sha256());
        v.add(r.format());
        v.add(r.width());
        v.add(r.height());
        v.add(r.pdq() == null ? null : HexFormat.of().parseHex(r.pdq()));
        v.add(r.pdqQuality() >= 0 ? r.pdqQuality() : null);
        v.add(r.error());
        v.add(r.faces().size());
        if (f == null) {
            for (int i = 0; i < 11; i++) {
                v.add(null);
            }
        } else {
            // the written precision of every scan file (ScanFile): the single-process audit sees these numbers
            v.add(index);
            v.add(round1(f.box().x()));
            v.add(round1(f.box().y()));
            v.add(round1(f.box().w()));
            v.add(round1(f.box().h()));
            v.add(round4(f.score()));
            float[] lm = new float[2 * Landmarks.POINTS];
            for (int i = 0; i < Landmarks.POINTS; i++) {
                lm[2 * i] = round1(f.landmarks().x(i));
                lm[2 * i + 1] = round1(f.landmarks().y(i));
            }
            v.add(lm);
            v.add(round4(f.quality().score()));
            v.add(round1(f.quality().eyePixels()));
            v.add(round1(f.quality().sharpness()));
            v.add(f.embedding().vector());
        }
        v.add(shard);
        v.add(entry);
        java.util.Collections.addAll(v, extra);
        return RowFactory.create(v.toArray());
    }

    static float round1(float v) {
        return Math.round(v * 10f) / 10f;
    }

    static float round4(float v) {
        return Math.round(v * 10000f) / 10000f;
    }

    /** The face of a row that has one (column {@code face} set). */
    static Face face(Row r, String embedder) {
        return new Face(new Box(r.getFloat(10), r.getFloat(11), r.getFloat(12), r.getFloat(13)), r.getFloat(14),
                new Landmarks(floatArray(r, 15)), new FaceQuality(r.getFloat(16), r.getFloat(17), r.getFloat(18)),
                new Embedding(embedder, floatArray(r, 19)));
    }

    static float[] floatArray(Row r, int i) {
        Object o = r.get(i);
        if (o instanceof float[] a) {
            return a;
        }
        List<Float> l = r.getList(i);
        float[] out = new float[l.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = l.get(k);
        }
        return out;
    }

    static boolean hasFace(Row r) {
        return !r.isNullAt(9);
    }

    /** The record a group of consecutive rows of one image describes (faces in row order). */
    static ScanRecord record(List<Row> rows, String embedder) {
        Row first = rows.get(0);
        List<Face> faces = new ArrayList<>();
        for (Row r : rows) {
            if (hasFace(r)) {
                faces.add(face(r, embedder));
            }
        }
        return new ScanRecord(first.getString(0), first.getString(1), first.getString(2), first.getInt(3), first.getInt(4), faces,
                first.isNullAt(5) ? null : HexFormat.of().formatHex((byte[]) first.get(5)),
                first.isNullAt(6) ? -1 : first.getInt(6), first.getString(7));
    }
}
