package org.likeness.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.SharedData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HalfPairsTest {

    @Test
    void drawnPairsStayInTheirHalfInPersonDisjointFoldsOfLfwLayout(@TempDir Path tmp) throws Exception {
        Path images = SharedData.require("lfw-dev/images");
        Map<String, List<Integer>> photos = HalfPairs.list(images);
        String text = HalfPairs.generate(photos, PersonSplit.EVALUATION, 10, 100, 1);
        assertThat(text).startsWith("10\t100\n");
        Path file = tmp.resolve("pairs.txt");
        Files.writeString(file, text);
        List<Pair> pairs = PairsFile.read(file);
        assertThat(pairs).hasSize(2000);

        Map<String, Integer> foldOf = new HashMap<>();
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            assertThat(p.fold()).isEqualTo(i / 200);
            assertThat(p.same()).as("pair %d: 100 same then 100 different per fold", i).isEqualTo(i % 200 < 100);
            String a = HalfPairs.person(p.a());
            String b = HalfPairs.person(p.b());
            assertThat(PersonSplit.of(a)).as(p.a()).isEqualTo(PersonSplit.EVALUATION);
            assertThat(PersonSplit.of(b)).as(p.b()).isEqualTo(PersonSplit.EVALUATION);
            assertThat(a.equals(b)).isEqualTo(p.same());
            assertThat(p.a()).isNotEqualTo(p.b());
            assertThat(images.resolve(p.a())).isRegularFile();
            assertThat(images.resolve(p.b())).isRegularFile();
            for (String person : List.of(a, b)) {
                Integer before = foldOf.putIfAbsent(person, p.fold());
                assertThat(before == null ? p.fold() : before).as("%s in one fold only", person).isEqualTo(p.fold());
            }
            String key = p.a().compareTo(p.b()) < 0 ? p.a() + " " + p.b() : p.b() + " " + p.a();
            assertThat(distinct.add(key)).as("pair %s twice", key).isTrue();
        }
        assertThat(foldOf.keySet()).as("people drawn from").hasSizeGreaterThan(500);
    }

    @Test
    void theDrawIsFixedBySeedAndHalf() throws Exception {
        Map<String, List<Integer>> photos = HalfPairs.list(SharedData.require("lfw-dev/images"));
        String once = HalfPairs.generate(photos, PersonSplit.EVALUATION, 10, 100, 1);
        assertThat(HalfPairs.generate(new HashMap<>(photos), PersonSplit.EVALUATION, 10, 100, 1)).isEqualTo(once);
        assertThat(HalfPairs.generate(photos, PersonSplit.EVALUATION, 10, 100, 2)).isNotEqualTo(once);
        String tuning = HalfPairs.generate(photos, PersonSplit.TUNING, 10, 100, 1);
        Set<String> evaluationPeople = people(once);
        assertThat(people(tuning)).doesNotContainAnyElementsOf(evaluationPeople).isNotEmpty();
    }

    @Test
    void tooFewPeopleForTheFoldsIsSaid() {
        Map<String, List<Integer>> photos = Map.of("Ann_A", List.of(1, 2), "Bob_B", List.of(1));
        assertThatThrownBy(() -> HalfPairs.generate(photos, PersonSplit.ALL, 1, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fold 1").hasMessageContaining("only 1 distinct same-person pairs, 2 asked");
    }

    @Test
    void restrictingPairsDevTrainKeepsExactlyThePairsWithinTheHalf() throws Exception {
        List<Pair> all = PairsFile.read(SharedData.require("lfw-dev/pairsDevTrain.txt"));
        List<Pair> evaluation = HalfPairs.restrict(all, PersonSplit.EVALUATION);
        List<Pair> tuning = HalfPairs.restrict(all, PersonSplit.TUNING);
        long crossing = all.stream().filter(p -> PersonSplit.of(HalfPairs.person(p.a())) != PersonSplit.of(HalfPairs.person(p.b()))).count();
        assertThat(evaluation.size() + tuning.size() + crossing).isEqualTo(all.size());
        assertThat(evaluation).isNotEmpty().allSatisfy(p -> {
            assertThat(PersonSplit.of(HalfPairs.person(p.a()))).isEqualTo(PersonSplit.EVALUATION);
            assertThat(PersonSplit.of(HalfPairs.person(p.b()))).isEqualTo(PersonSplit.EVALUATION);
        });
        assertThat(crossing).as("pairsDevTrain mixes the halves").isPositive();
    }

    private static Set<String> people(String pairsText) {
        Set<String> out = new HashSet<>();
        for (String line : pairsText.split("\n")) {
            String[] t = line.split("\t");
            if (t.length >= 3) {
                out.add(t[0]);
            }
            if (t.length == 4) {
                out.add(t[2]);
            }
        }
        return out;
    }
}
