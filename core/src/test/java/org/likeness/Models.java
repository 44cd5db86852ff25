package org.likeness;

import org.likeness.face.FacePipeline;
import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelStore;

/**
 * The default models, fetched by the test command ({@code ./likeness test} runs {@code likeness models fetch} first).
 * A test that needs them fails with the instruction when they are missing: they are part of the product.
 */
public final class Models {
    private static FacePipeline shared;

    private Models() {
    }

    public static ModelStore store() {
        ModelStore s = ModelStore.fromEnvironment();
        ModelCatalogue.files().stream().filter(f -> !f.optional()).forEach(f -> {
            if (!s.isPresent(f)) {
                throw new AssertionError("model " + f.id() + " missing from " + s.home() + ": run `./likeness models fetch` (./likeness test does)");
            }
        });
        return s;
    }

    /** One pipeline per test JVM (loading the three ONNX sessions takes ~0.5 s); never closed, ends with the JVM. */
    public static synchronized FacePipeline pipeline() {
        if (shared == null) {
            shared = FacePipeline.open(store(), FacePipeline.Options.defaults(1));
        }
        return shared;
    }
}
