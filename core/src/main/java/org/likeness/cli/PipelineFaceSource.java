package org.likeness.cli;

import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.ModelStore;
import org.likeness.model.Sha256;
import org.likeness.registry.EnrolFace;
import org.likeness.registry.FaceSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The default face pipeline as the registry's source of enrolment faces: the registry sees vectors, never pixels. */
public final class PipelineFaceSource implements FaceSource {
    private final FacePipeline pipeline;
    private final ImageDecoder decoder = new ImageDecoder();

    PipelineFaceSource(FacePipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** One ONNX thread per call: callers that want parallelism call {@link #faces} from several threads (it is thread-safe). */
    public static PipelineFaceSource openDefault() {
        return new PipelineFaceSource(FacePipeline.open(ModelStore.fromEnvironment(), FacePipeline.Options.defaults(1)));
    }

    @Override
    public List<EnrolFace> faces(Path photo) throws IOException {
        byte[] bytes = Files.readAllBytes(photo);
        String sha = Sha256.of(bytes);
        try (DecodedImage img = decoder.decode(photo.toString(), bytes)) {
            List<EnrolFace> out = new ArrayList<>();
            for (Face f : pipeline.faces(img.bgr())) {
                out.add(new EnrolFace(f.embedding().vector(), f.quality().score(), sha));
            }
            return out;
        } catch (DecodeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public String modelId() {
        return pipeline.embedderId();
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
