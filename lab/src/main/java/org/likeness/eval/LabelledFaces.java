package org.likeness.eval;

import org.likeness.scan.ScanRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The primary face of every photo of a labelled person/photo folder, collected from its scan records: the label is
 * the first folder of the record's path. Records outside a person folder, failed records and photos without a face
 * are left out (the last are counted); so are people outside the half collected (docs/DECISIONS.md, "Tuning and
 * evaluation halves").
 */
public final class LabelledFaces implements Consumer<ScanRecord> {
    private final List<float[]> vectors = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private final Map<String, Integer> labelOf = new HashMap<>();
    private final Map<String, List<float[]>> byPerson = new TreeMap<>();
    private final PersonSplit half;
    private int noFace;

    /** Every person's photos. */
    public LabelledFaces() {
        this(PersonSplit.ALL);
    }

    /** Only the photos of the people in {@code half} (others are not even counted as without a face). */
    public LabelledFaces(PersonSplit half) {
        this.half = half;
    }

    @Override
    public void accept(ScanRecord r) {
        int slash = r.path().indexOf('/');
        if (slash <= 0 || !r.ok()) {
            return;
        }
        if (half != PersonSplit.ALL && PersonSplit.of(r.path().substring(0, slash)) != half) {
            return;
        }
        var face = PrimaryFace.of(r);
        if (face.isEmpty()) {
            noFace++;
            return;
        }
        String person = r.path().substring(0, slash);
        float[] v = face.get().embedding().vector();
        vectors.add(v);
        labels.add(labelOf.computeIfAbsent(person, k -> labelOf.size()));
        byPerson.computeIfAbsent(person, k -> new ArrayList<>()).add(v);
    }

    /** One vector per photo with a face, in scan order. */
    public List<float[]> vectors() {
        return vectors;
    }

    /** The person index of each vector. */
    public int[] labels() {
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Vectors per person name, names sorted, photos in scan order. */
    public Map<String, List<float[]>> byPerson() {
        return byPerson;
    }

    public int people() {
        return labelOf.size();
    }

    public int noFace() {
        return noFace;
    }
}
