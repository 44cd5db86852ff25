package org.likeness.cli;

import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelFile;
import org.likeness.model.ModelStore;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.EnrolFace;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code likeness demo}: on a fresh machine, fetch the models and demo photos, build a small embedded registry (three
 * people from one photo: two consent to training, one consented and then revoked), audit all demo photos for training,
 * print the verdict and where the report is. Everything lives under {@code $LIKENESS_HOME/demo}, apart from the
 * user's own registry.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Fetch models and demo photos, enrol three people from one photo (two consent to training, one revokes), audit all demo photos, print the verdict and the report's path.")
final class DemoCommand extends BaseCommand {
    /** The demo photo whose faces are enrolled. */
    static final String ENROL_FROM = "demo-sample5";

    @Override
    public Integer call() throws IOException {
        ModelStore store = ModelStore.fromEnvironment();
        List<ModelFile> got = store.fetch(false, msg -> err().println(msg));
        if (!got.isEmpty()) {
            err().println("fetched " + got.size() + " model and demo file(s) into " + store.home().resolve("models"));
        }
        Path demo = store.home().resolve("demo");
        Path photos = freshPhotos(store, demo);
        Map<String, String> env = Map.of("LIKENESS_HOME", demo.toString());
        RegistryLocation loc = RegistryLocation.resolve(null, env);
        Path enrolPhoto = photos.resolve(ModelCatalogue.byId(ENROL_FROM).fileName());
        try (MasterKey key = MasterKey.create(loc.defaultKeyFile());
             PipelineFaceSource faces = PipelineFaceSource.openDefault()) {
            Registry.init(loc, key, "demo");
            try (Registry r = Registry.open(loc, key, "demo")) {
                enrolPeople(r, faces, enrolPhoto);
                out().println("registry: enrolled ana, bea, cleo from " + enrolPhoto.getFileName()
                        + " (ana, bea consent to training; cleo revoked); everyone else in the photos is unregistered");
            }
        }
        Path report = demo.resolve("report");
        CommandLine audit = Failures.install(new CommandLine(new AuditCommand(env)));
        audit.setOut(out());
        audit.setErr(err());
        int code = audit.execute(photos.toString(), "--purpose", "training", "--report", report.toString());
        return code == ExitCodes.OK || code == ExitCodes.NOT_CONSENTED ? ExitCodes.OK : code;
    }

    /** An empty {@code home} with the pinned demo photos copied into {@code home/photos}; returns that folder. */
    static Path freshPhotos(ModelStore store, Path home) throws IOException {
        Path photos = home.resolve("photos");
        deleteTree(home);
        Files.createDirectories(photos);
        for (ModelFile f : ModelCatalogue.files()) {
            if (f.role() == ModelFile.Role.DEMO_PHOTO) {
                Files.copy(store.path(f), photos.resolve(f.fileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return photos;
    }

    /** Enrols ana, bea and cleo from the first three faces of {@code photo}; ana and bea consent to training, cleo revoked. */
    static void enrolPeople(Registry r, PipelineFaceSource faces, Path photo) throws IOException {
        List<EnrolFace> found = faces.faces(photo);
        String[] people = {"ana", "bea", "cleo"};
        for (int i = 0; i < Math.min(people.length, found.size()); i++) {
            r.addSubject(people[i], "Demo person " + (i + 1), faces.modelId(), List.of(found.get(i)));
            r.grant(new ConsentGrant(people[i], Purpose.TRAINING, Instant.now().minusSeconds(60), null,
                    "consent (demo)", null));
        }
        if (found.size() >= 3) {
            r.revoke("cleo", Purpose.TRAINING);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
