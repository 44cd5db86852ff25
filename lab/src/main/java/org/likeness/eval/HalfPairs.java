package org.likeness.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An LFW-format pairs file (view-2 layout: {@code FOLDS PER_FOLD}, then per fold PER_FOLD same-person pairs and
 * PER_FOLD different-person pairs) drawn among the people of one half of an LFW-layout folder
 * ({@code NAME/NAME_0001.jpg}; docs/DECISIONS.md, "Tuning and evaluation halves"). As in LFW view 2 the folds are
 * person-disjoint: every person is dealt to exactly one fold (people with ≥ 2 photos and people with one dealt
 * separately, so each fold has its share of both), and a fold's pairs use only its people. A same pair is a person
 * drawn uniformly among the fold's people with ≥ 2 photos, then two distinct photos; a different pair two distinct
 * people of the fold, one photo each; no pair twice. Deterministic: the people sorted by name, then
 * {@code java.util.Random(seed)}; the photos themselves are never read, only the folder listing.
 */
public final class HalfPairs {
    /** LFW view 2's fold count. */
    public static final int LFW_FOLDS = 10;

    private static final Pattern LFW_NAME = Pattern.compile("(.+)_(\\d{4})\\.jpg");

    private HalfPairs() {
    }

    /** The photo numbers of every person folder of an LFW-layout folder (names sorted; files not named NAME_dddd.jpg ignored). */
    public static Map<String, List<Integer>> list(Path images) throws IOException {
        Map<String, List<Integer>> out = new TreeMap<>();
        try (Stream<Path> people = Files.list(images)) {
            for (Path dir : people.filter(Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                List<Integer> numbers = new ArrayList<>();
                try (Stream<Path> photos = Files.list(dir)) {
                    for (Path p : photos.toList()) {
                        Matcher m = LFW_NAME.matcher(p.getFileName().toString());
                        if (m.matches() && m.group(1).equals(name) && Files.isRegularFile(p)) {
                            numbers.add(Integer.parseInt(m.group(2)));
                        }
                    }
                }
                if (!numbers.isEmpty()) {
                    Collections.sort(numbers);
                    out.put(name, numbers);
                }
            }
        }
        return out;
    }

    /**
     * @param photos  photo numbers per person (all people of the folder; only {@code half}'s are used)
     * @param half    the people drawn from (TUNING, EVALUATION, or ALL)
     * @param folds   person-disjoint folds
     * @param perFold same pairs per fold, and as many different pairs
     * @param seed    the draw's seed
     * @return the pairs file's text
     * @throws IllegalArgumentException when a fold has too few people or photos for {@code perFold} distinct pairs
     */
    public static String generate(Map<String, List<Integer>> photos, PersonSplit half, int folds, int perFold, long seed) {
        if (folds < 1 || perFold < 1) {
            throw new IllegalArgumentException("folds and pairs per fold must be at least 1, not " + folds + " and " + perFold);
        }
        Map<String, List<Integer>> sorted = new TreeMap<>(photos);
        List<String> several = new ArrayList<>();
        List<String> single = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : sorted.entrySet()) {
            if (half == PersonSplit.ALL || PersonSplit.of(e.getKey()) == half) {
                (e.getValue().size() >= 2 ? several : single).add(e.getKey());
            }
        }
        Random r = new Random(seed);
        Collections.shuffle(several, r);
        Collections.shuffle(single, r);
        List<List<String>> severalIn = deal(several, folds);
        List<List<String>> allIn = deal(single, folds);
        for (int f = 0; f < folds; f++) {
            allIn.get(f).addAll(severalIn.get(f));
        }
        StringBuilder out = new StringBuilder().append(folds).append('\t').append(perFold).append('\n');
        for (int f = 0; f < folds; f++) {
            for (String line : samePairs(sorted, severalIn.get(f), perFold, r, f)) {
                out.append(line).append('\n');
            }
            for (String line : differentPairs(sorted, allIn.get(f), perFold, r, f)) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static List<List<String>> deal(List<String> people, int folds) {
        List<List<String>> out = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < people.size(); i++) {
            out.get(i % folds).add(people.get(i));
        }
        return out;
    }

    private static List<String> samePairs(Map<String, List<Integer>> photos, List<String> people, int n, Random r, int fold) {
        long possible = 0;
        for (String p : people) {
            long k = photos.get(p).size();
            possible += k * (k - 1) / 2;
        }
        if (possible < n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fold %d: its %d people with 2 or more photos give only %d distinct same-person pairs, %d asked",
                    fold + 1, people.size(), possible, n));
        }
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            String p = people.get(r.nextInt(people.size()));
            List<Integer> nums = photos.get(p);
            int i = r.nextInt(nums.size());
            int j = r.nextInt(nums.size() - 1);
            if (j >= i) {
                j++;
            }
            int a = nums.get(Math.min(i, j));
            int b = nums.get(Math.max(i, j));
            String line = p + '\t' + a + '\t' + b;
            if (seen.add(line)) {
                out.add(line);
            }
        }
        return out;
    }

    private static List<String> differentPairs(Map<String, List<Integer>> photos, List<String> people, int n, Random r, int fold) {
        long possible = 0;
        long before = 0;
        for (String p : people) {
            long k = photos.get(p).size();
            possible += before * k;
            before += k;
        }
        if (people.size() < 2 || possible < n) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fold %d: its %d people give only %d distinct different-person pairs, %d asked", fold + 1, people.size(), possible, n));
        }
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            int x = r.nextInt(people.size());
            int y = r.nextInt(people.size() - 1);
            if (y >= x) {
                y++;
            }
            String p = people.get(x);
            String q = people.get(y);
            if (p.compareTo(q) > 0) {
                String t = p;
                p = q;
                q = t;
            }
            List<Integer> pn = photos.get(p);
            List<Integer> qn = photos.get(q);
            String line = p + '\t' + pn.get(r.nextInt(pn.size())) + '\t' + q + '\t' + qn.get(r.nextInt(qn.size()));
            if (seen.add(line)) {
                out.add(line);
            }
        }
        return out;
    }

    /** The pairs of a pairs file whose two people are both in {@code half} (folds kept as the file numbers them). */
    public static List<Pair> restrict(List<Pair> pairs, PersonSplit half) {
        if (half == PersonSplit.ALL) {
            return pairs;
        }
        return pairs.stream().filter(p -> PersonSplit.of(person(p.a())) == half && PersonSplit.of(person(p.b())) == half).toList();
    }

    /** The person of an LFW image path ({@code NAME/NAME_0001.jpg}). */
    public static String person(String image) {
        int slash = image.indexOf('/');
        return slash < 0 ? image : image.substring(0, slash);
    }
}
