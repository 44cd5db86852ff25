package org.likeness.eval;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PersonSplitTest {
    @Test
    void aPersonIsInExactlyOneHalfWhateverThePhoto() {
        int evaluation = 0;
        for (int i = 0; i < 1000; i++) {
            String person = "Person_" + i;
            PersonSplit half = PersonSplit.of(person);
            assertThat(half).isIn(PersonSplit.TUNING, PersonSplit.EVALUATION);
            assertThat(half.holds(Path.of("images", person, person + "_0001.jpg"))).isTrue();
            assertThat(half.holds(Path.of("images", person, person + "_0007.jpg"))).isTrue();
            PersonSplit other = half == PersonSplit.TUNING ? PersonSplit.EVALUATION : PersonSplit.TUNING;
            assertThat(other.holds(Path.of("images", person, person + "_0001.jpg"))).isFalse();
            evaluation += half == PersonSplit.EVALUATION ? 1 : 0;
        }
        assertThat(evaluation).as("about half").isBetween(430, 570);
        // fixed by the rule (computed independently with Python hashlib), not by the run
        assertThat(PersonSplit.of("AJ_Cook")).isEqualTo(PersonSplit.EVALUATION);
        assertThat(PersonSplit.of("Aaron_Peirsol")).isEqualTo(PersonSplit.TUNING);
    }
}
