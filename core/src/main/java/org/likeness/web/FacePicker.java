package org.likeness.web;

import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.ModelStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faces of one enrolment photo with their boxes, for the console's face picker: the same pipeline and options as
 * enrolment, so face N here is the face {@code face=N} enrols (both list the detector's faces in decreasing score).
 * The pipeline is opened on first use and shared; one photo at a time.
 */
public final class FacePicker implements AutoCloseable {
    /** Opens the pipeline (tests and the command line pass the default one). */
    @FunctionalInterface
    public interface Opener {
        FacePipeline open() throws IOException;
    }

    private final Opener opener;
    private final ImageDecoder decoder = new ImageDecoder();
    private FacePipeline pipeline;

    public FacePicker(Opener opener) {
        this.opener = opener;
    }

    /** The default models from the model store (LIKENESS_HOME / ~/.cache/likeness/models). */
    public static FacePicker defaults() {
        return new FacePicker(() -> FacePipeline.open(ModelStore.fromEnvironment(), FacePipeline.Options.defaults(1)));
    }

    /**
     * {@code {width, height, faces: [{index (1-based), box: {x, y, w, h}, score}]}} in the photo's pixels.
     *
     * @param name the name to report the photo by (the upload's file name)
     */
    public synchronized Map<String, Object> faces(Path photo, String name) throws IOException {
        if (pipeline == null) {
            pipeline = opener.open();
        }
        byte[] bytes = Files.readAllBytes(photo);
        try (DecodedImage img = decoder.decode(name, bytes)) {
            List<Map<String, Object>> faces = new ArrayList<>();
            int i = 1;
            for (Face f : pipeline.faces(img.bgr())) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", i++);
                m.put("box", Map.of("x", Math.round(f.box().x()), "y", Math.round(f.box().y()),
                        "w", Math.round(f.box().w()), "h", Math.round(f.box().h())));
                m.put("score", Math.round(f.score() * 1000) / 1000.0);
                faces.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("photo", name);
            out.put("width", img.width());
            out.put("height", img.height());
            out.put("faces", faces);
            return out;
        } catch (DecodeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }
}
