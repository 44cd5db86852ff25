package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;
import org.likeness.cli.PipelineFaceSource;

import org.likeness.registry.EnrolFace;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code likeness bench enrol --images ROOT --subjects N}: the enrolment target (docs/BENCHMARKS.md), end to end. */
@Command(name = "enrol", mixinStandardHelpOptions = true,
        description = "Enrol the first photo of each of the first N people of a person/photo folder into a fresh registry (detection, embedding, encryption, log), timed.")
final class BenchEnrolCommand extends BaseCommand {
    @Option(names = "--images", required = true, description = "Person/photo folder, e.g. ../shared/data/lfw-dev/images.")
    Path images;
    @Option(names = "--subjects", description = "People to enrol (default ${DEFAULT-VALUE}).")
    int subjects = 1000;
    @Option(names = "--work", description = "Folder for the throw-away registry (default: a new temporary folder).")
    Path work;

    private List<EnrolFace> firstPhotoFaces(PipelineFaceSource faces, Path person) {
        try (Stream<Path> s = Files.list(person)) {
            Path photo = s.sorted().findFirst().orElse(null);
            return photo == null ? List.of() : faces.faces(photo);
        } catch (IOException e) {
            err().println("likeness: " + person + ": " + e.getMessage());
            return List.of();
        }
    }

    @Override
    public Integer call() throws IOException {
        List<Path> people;
        try (Stream<Path> s = Files.list(images)) {
            people = s.filter(Files::isDirectory).sorted().limit(subjects).toList();
        }
        Path home = work != null ? work : Files.createTempDirectory("likeness-bench-enrol-");
        RegistryLocation loc = RegistryLocation.resolve(null, Map.of("LIKENESS_HOME", home.toString()));
        long t0 = System.nanoTime();
        int enrolled = 0, refused = 0;
        long facesNanos = 0, registryNanos = 0;
        try (MasterKey key = MasterKey.create(loc.defaultKeyFile())) {
            Registry.init(loc, key, "bench");
            try (Registry r = Registry.open(loc, key, "bench");
                 PipelineFaceSource faces = PipelineFaceSource.openDefault()) {
                // detection and embedding on every core (the pipeline is thread-safe), then the writes in order
                long f0 = System.nanoTime();
                List<List<EnrolFace>> found = people.parallelStream().map(person -> firstPhotoFaces(faces, person)).toList();
                facesNanos = System.nanoTime() - f0;
                long r0 = System.nanoTime();
                for (int i = 0; i < people.size(); i++) {
                    if (found.get(i).isEmpty()) {
                        refused++;
                        continue;
                    }
                    String id = people.get(i).getFileName().toString();
                    r.addSubject(id, id.replace('_', ' '), faces.modelId(), List.of(found.get(i).get(0))); // highest detector score
                    enrolled++;
                }
                registryNanos = System.nanoTime() - r0;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        out().printf(Locale.ROOT, "enrolled %d subjects (%d without a face) in %.1f s (%.1f subjects/s): faces %.1f s, registry writes %.1f s; registry in %s%n",
                enrolled, refused, s, enrolled / s, facesNanos / 1e9, registryNanos / 1e9, home);
        return ExitCodes.OK;
    }
}
