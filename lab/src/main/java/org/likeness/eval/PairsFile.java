package org.likeness.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LFW's pairs format: a header "N" (one set) or "SETS N" (e.g. "10 300": ten folds of N same then N different pairs),
 * then lines "name i j" (same person) or "name1 i name2 j" (different people).
 */
public final class PairsFile {
    private PairsFile() {
    }

    public static List<Pair> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty pairs file");
        }
        String[] head = lines.get(0).trim().split("\\s+");
        int sets = head.length == 2 ? Integer.parseInt(head[0]) : 1;
        int perSet = Integer.parseInt(head[head.length - 1]);
        List<Pair> pairs = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = line.split("\\s+");
            int index = pairs.size();
            int fold = sets > 1 ? index / (2 * perSet) : -1;
            try {
                if (t.length == 3) {
                    pairs.add(new Pair(image(t[0], t[1]), image(t[0], t[2]), true, fold));
                } else if (t.length == 4) {
                    pairs.add(new Pair(image(t[0], t[1]), image(t[2], t[3]), false, fold));
                } else {
                    throw new IOException(file + ":" + (i + 1) + ": expected 3 or 4 fields, got " + t.length);
                }
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": image number is not an integer: " + line);
            }
        }
        if (pairs.size() != sets * perSet * 2) {
            throw new IOException(file + ": header promises " + sets * perSet * 2 + " pairs, file has " + pairs.size());
        }
        return pairs;
    }

    /** LFW's layout: {@code name/name_0001.jpg}. */
    public static String image(String name, String number) {
        return name + "/" + name + String.format(Locale.ROOT, "_%04d.jpg", Integer.parseInt(number));
    }
}
