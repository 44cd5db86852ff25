package org.likeness.lab;

import org.likeness.fingerprint.DatasetEvidence;
import org.likeness.fingerprint.FingerprintDetector;
import org.likeness.eval.LeakEvaluation;
import org.likeness.eval.LeakerCopy;
import org.likeness.eval.MarketplaceCopy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tables of {@code eval fingerprint --leakers}: per suspect kind (leaker copy or coalition attack and size), the share
 * of photos in which the recipient (or a colluder) is named and the number of photos in which anyone else is, then the
 * same per dataset with the per-photo statistics summed ({@link DatasetEvidence}).
 *
 * @param photos  per photo, in dataset order
 * @param members per photo, the coalition order used (member 0 is the single recipient)
 */
record LeakReport(List<LeakEvaluation.PhotoResult> photos, List<int[]> members, int recipients, int[] datasetSizes) {

    /** One row: per-photo counts and per-dataset counts for each dataset size. */
    private record Row(String name, int coalition, int photos, int registered, int named, int innocentPhotos, int[] datasets,
                       int[] datasetsNamed, int[] datasetsInnocent, double[] meanColludersNamed) {
    }

    Map<String, Object> print(java.io.PrintWriter text, double minPsnr) {
        double thrPhoto = FingerprintDetector.threshold(recipients), thrSet = DatasetEvidence.threshold(recipients);
        text.printf(Locale.ROOT, "%d photos, %d recipients; photo threshold z %.2f (≤ 1e-6 per photo), dataset threshold S %.2f (≤ 1e-6 per dataset); lowest release PSNR %.2f dB%n",
                photos.size(), recipients, thrPhoto, thrSet, minPsnr);
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-34s %3s %6s %6s %7s %6s", "suspect", "c", "photos", "align", "named", "innoc"));
        for (int d : datasetSizes) {
            head.append(String.format(Locale.ROOT, " | sets/%-4d named innoc colluders", d));
        }
        text.println(head);
        List<Map<String, Object>> rows = new ArrayList<>();
        int s = 0;
        for (MarketplaceCopy c : LeakEvaluation.BASELINES) {
            rows.add(json(row(text, c.name().toLowerCase(Locale.ROOT), 1, s++, -1, -1, thrPhoto, thrSet)));
        }
        for (LeakerCopy c : LeakerCopy.values()) {
            rows.add(json(row(text, c.name().toLowerCase(Locale.ROOT), 1, s++, -1, -1, thrPhoto, thrSet)));
        }
        for (LeakEvaluation.Attack a : LeakEvaluation.Attack.values()) {
            for (int k = 0; k < LeakEvaluation.COALITION_SIZES.length; k++) {
                int c = LeakEvaluation.COALITION_SIZES[k];
                rows.add(json(row(text, a.name().toLowerCase(Locale.ROOT), c, -1, a.ordinal(), k, thrPhoto, thrSet)));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("photos", photos.size());
        out.put("recipients", recipients);
        out.put("photo_threshold_z", thrPhoto);
        out.put("dataset_threshold_s", thrSet);
        out.put("min_release_psnr", minPsnr);
        out.put("rows", rows);
        return out;
    }

    private float[] zOf(int photo, int single, int attack, int size) {
        LeakEvaluation.PhotoResult p = photos.get(photo);
        return single >= 0 ? p.single()[single] : p.attacks()[attack][size];
    }

    /** The coalition whose members are in the copy: the first c members of the photo's order. */
    private boolean colluder(int photo, int recipient, int c) {
        int[] m = members.get(photo);
        for (int j = 0; j < c; j++) {
            if (m[j] == recipient) {
                return true;
            }
        }
        return false;
    }

    private Row row(java.io.PrintWriter out, String name, int c, int single, int attack, int size, double thrPhoto, double thrSet) {
        int n = photos.size(), registered = 0, named = 0, innocentPhotos = 0;
        for (int i = 0; i < n; i++) {
            float[] z = zOf(i, single, attack, size);
            if (z == null) {
                continue;
            }
            registered++;
            int best = -1;
            boolean innocent = false;
            for (int k = 0; k < z.length; k++) {
                if (z[k] >= thrPhoto) {
                    innocent |= !colluder(i, k, c);
                    if (best < 0 || z[k] > z[best]) {
                        best = k;
                    }
                }
            }
            named += best >= 0 && colluder(i, best, c) ? 1 : 0;
            innocentPhotos += innocent ? 1 : 0;
        }
        int[] sets = new int[datasetSizes.length], setsNamed = new int[datasetSizes.length], setsInnocent = new int[datasetSizes.length];
        double[] colluders = new double[datasetSizes.length];
        for (int d = 0; d < datasetSizes.length; d++) {
            int size0 = datasetSizes[d];
            for (int start = 0; start + size0 <= n; start += size0) {
                double[] sum = new double[recipients];
                int m = 0;
                for (int i = start; i < start + size0; i++) {
                    float[] z = zOf(i, single, attack, size);
                    if (z == null) {
                        continue;
                    }
                    m++;
                    for (int k = 0; k < recipients; k++) {
                        sum[k] += z[k];
                    }
                }
                sets[d]++;
                int colludersNamed = 0;
                boolean innocent = false;
                for (int k = 0; k < recipients; k++) {
                    if (DatasetEvidence.statistic(sum[k], m) >= thrSet) {
                        if (colluder(start, k, c)) {
                            colludersNamed++;
                        } else {
                            innocent = true;
                        }
                    }
                }
                setsNamed[d] += colludersNamed > 0 ? 1 : 0;
                setsInnocent[d] += innocent ? 1 : 0;
                colluders[d] += colludersNamed;
            }
            colluders[d] = sets[d] == 0 ? 0 : colluders[d] / sets[d];
        }
        Row r = new Row(name, c, n, registered, named, innocentPhotos, sets, setsNamed, setsInnocent, colluders);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s %3d %6d %6d %7.4f %6d", name, c, n, registered, (double) named / n, innocentPhotos));
        for (int d = 0; d < datasetSizes.length; d++) {
            line.append(String.format(Locale.ROOT, " | %9d %5s %5d %9.1f", sets[d], sets[d] == 0 ? "-" : setsNamed[d] + "/" + sets[d], setsInnocent[d], colluders[d]));
        }
        out.println(line);
        return r;
    }

    private Map<String, Object> json(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("suspect", r.name());
        m.put("coalition", r.coalition());
        m.put("photos", r.photos());
        m.put("aligned", r.registered());
        m.put("named_rate", (double) r.named() / r.photos());
        m.put("photos_with_innocent_named", r.innocentPhotos());
        List<Map<String, Object>> sets = new ArrayList<>();
        for (int d = 0; d < datasetSizes.length; d++) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("dataset_size", datasetSizes[d]);
            s.put("datasets", r.datasets()[d]);
            s.put("colluder_named", r.datasetsNamed()[d]);
            s.put("innocent_named", r.datasetsInnocent()[d]);
            s.put("mean_colluders_named", r.meanColludersNamed()[d]);
            sets.add(s);
        }
        m.put("datasets", sets);
        return m;
    }
}
