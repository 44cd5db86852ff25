package org.likeness.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.likeness.registry.EnrolFace;
import org.likeness.registry.FaceSource;
import org.likeness.registry.InvalidInputException;
import org.likeness.registry.Registry;
import org.likeness.registry.Subject;

/**
 * Registers a subject from photos: the face in each photo (the {@code face}-th when a photo holds several), enrolled in
 * one transaction. A photo with no face, or several and no choice, is refused and nothing is written. Used by
 * {@code subject add} and {@code POST /api/v1/subjects}.
 */
public final class SubjectEnrolment {
    /** A photo to read, and the name to report it by (the upload's file name for the HTTP service). */
    public record Photo(Path file, String name) {
    }

    private SubjectEnrolment() {
    }

    /**
     * @param face 1-based index of the face to enrol in photos with several, or null
     */
    public static Subject enrol(Registry registry, FaceSource source, String organisation, String id, String name,
                                Integer face, List<Photo> photos) throws IOException {
        Subject.checkId(id);
        if (photos.isEmpty()) {
            throw new InvalidInputException("subject '" + id + "': no photo given");
        }
        List<EnrolFace> chosen = new ArrayList<>();
        for (Photo photo : photos) {
            Path p = photo.file();
            if (!Files.isRegularFile(p)) { // a reader's own message may not name it ("Is a directory")
                throw new InvalidInputException(photo.name() + ": " + (Files.isDirectory(p) ? "a folder, not a photo"
                        : Files.exists(p) ? "not a regular file" : "no such file"));
            }
            List<EnrolFace> found;
            try {
                found = source.faces(p);
            } catch (IOException e) {
                if (photo.name().equals(p.toString())) {
                    throw e;
                }
                // an upload: its name instead of where the server keeps it
                String message = String.valueOf(e.getMessage()).replace(p.toString(), photo.name());
                throw new IOException(message.contains(photo.name()) ? message : photo.name() + ": " + message, e);
            }
            chosen.add(choose(photo.name(), found, face));
        }
        return registry.addSubject(organisation, id, name, source.modelId(), chosen, List.of());
    }

    static EnrolFace choose(String photo, List<EnrolFace> found, Integer face) {
        if (found.isEmpty()) {
            throw new InvalidInputException("photo " + photo + ": no face found");
        }
        if (face == null) {
            if (found.size() > 1) {
                throw new InvalidInputException("photo " + photo + ": " + found.size()
                        + " faces found: choose one with --face N (1.." + found.size() + ")");
            }
            return found.get(0);
        }
        if (face < 1 || face > found.size()) {
            throw new InvalidInputException("photo " + photo + ": --face " + face + " but the photo has "
                    + found.size() + " face(s)");
        }
        return found.get(face - 1);
    }
}
