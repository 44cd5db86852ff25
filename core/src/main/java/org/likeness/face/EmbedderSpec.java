package org.likeness.face;

import org.likeness.model.ModelCatalogue;

/**
 * How to feed an embedder: the aligned crop's side, tensor layout, channel order and normalisation (x − mean) / std.
 * The ArcFace 5-point template is scaled to the side.
 *
 * @param id   model id written into scan files; different ids are never compared
 * @param size crop side in pixels (112 for ArcFace-family models)
 * @param nchw true for [1,3,H,W], false for [1,H,W,3]
 * @param rgb  true when the model expects RGB, false for BGR
 */
public record EmbedderSpec(String id, int size, boolean nchw, boolean rgb, float mean, float std) {
    /** fr_feature.onnx, per its package's own JS and the issue: RGB NCHW (x − 127.5) / 128. */
    public static final EmbedderSpec FR_FEATURE = new EmbedderSpec(ModelCatalogue.ARCFACE512, 112, true, true, 127.5f, 128f);

    public EmbedderSpec {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("embedder needs an id");
        }
        if (size < 32 || size > 1024) {
            throw new IllegalArgumentException("embedder " + id + ": crop size must be 32..1024, got " + size);
        }
        if (!(std > 0)) {
            throw new IllegalArgumentException("embedder " + id + ": std must be > 0, got " + std);
        }
    }
}
