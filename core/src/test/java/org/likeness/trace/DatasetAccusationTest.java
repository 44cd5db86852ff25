package org.likeness.trace;

import org.junit.jupiter.api.Test;
import org.likeness.fingerprint.DatasetEvidence;
import org.likeness.fingerprint.Detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dataset-level sum: weak marks on many photos accuse; copies of one original count once; nobody else is accused. */
class DatasetAccusationTest {
    private static TracedImage photo(String path, String original, double zA, double zB, double zC) {
        return new TracedImage(path, TracedImage.PDQ, "c", original, 3, null, null, zA, null, null, null,
                List.of(new Detection.Score("a", zA, 1), new Detection.Score("b", zB, 1), new Detection.Score("c", zC, 1)));
    }

    @Test
    void weakMarksOnManyPhotosAccuseTheirRecipientOnly() {
        List<TracedImage> images = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            // a's z of 2 on each photo names nobody per photo (threshold 5.46), but S = 2·16/√16 = 8
            images.add(photo(String.format("p%02d.jpg", i), "o" + i, 2.0, i % 2 == 0 ? 1.0 : -1.0, 0.0));
        }
        List<TraceResult.Accusation> acc = TraceResult.accusations(images, Map.of());
        TraceResult.Accusation a = acc.get(0);
        assertThat(a.recipient()).isEqualTo("a");
        assertThat(a.statistic()).isCloseTo(8.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(a.threshold()).isEqualTo(DatasetEvidence.threshold(3));
        assertThat(a.accused()).isTrue();
        assertThat(acc.stream().filter(TraceResult.Accusation::accused).map(TraceResult.Accusation::recipient)).containsExactly("a");
    }

    @Test
    void copiesOfOneOriginalCountOnce() {
        List<TracedImage> images = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            images.add(photo(String.format("p%02d.jpg", i), "same-original", 2.0, 0, 0));
        }
        TraceResult.Accusation a = TraceResult.accusations(images, Map.of()).get(0);
        assertThat(a.photosTested()).isEqualTo(1);
        assertThat(a.statistic()).isEqualTo(2.0);
        assertThat(a.accused()).isFalse();
    }
}
