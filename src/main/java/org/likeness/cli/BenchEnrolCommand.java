package org.likeness.cli;

import org.likeness.registry.EnrolFace;
import org.likeness.registry.MasterKey;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code likeness bench enrol --images ROOT --subjects N}: issue 4's enrolment target, end to end. */
@Command(name = "enrol", mixinStandardHelpOptions = true,
        description = "Enrol the first photo of each of the first N people of a person/photo folder into a fresh registry (detection, embedding, encryption, log), timed.")
final class BenchEnrolCommand implements Callable<Integer> {
    @Option(names = "--images", required = true, description = "Person/photo folder, e.g. ../shared/data/lfw-dev/images.")
    Path images;
    @Option(names = "--subjects", description = "People to enrol (default ${DEFAULT-VALUE}).")
    int subjects = 1000;
    @Option(names = "--work", description = "Folder for the throw-away registry (default: a new temporary folder).")
    Path work;

    @Override
    public Integer call() throws IOException {
        List<Path> people;
        try (Stream<Path> s = Files.list(images)) {
            people = s.filter(Files::isDirectory).sorted().limit(subjects).toList();
        }
        Path home = work != null ? work : Files.createTempDirectory("likeness-bench-enrol-");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LIKENESS_HOME", home.toString());
        env.remove(MasterKey.ENV);
        RegistryLocation loc = RegistryLocation.resolve(null, env);
        long t0 = System.nanoTime();
        int enrolled = 0, refused = 0;
        try (MasterKey key = MasterKey.resolve(loc.defaultKeyFile(), env)) {
            Registry.init(loc, key, "bench");
            try (Registry r = Registry.open(loc, key, "bench");
                 PipelineFaceSource faces = PipelineFaceSource.openDefault()) {
                for (Path person : people) {
                    Path photo;
                    try (Stream<Path> s = Files.list(person)) {
                        photo = s.sorted().findFirst().orElse(null);
                    }
                    List<EnrolFace> found = photo == null ? List.of() : faces.faces(photo);
                    if (found.isEmpty()) {
                        refused++;
                        continue;
                    }
                    EnrolFace best = found.get(0); // highest detector score
                    r.addSubject(person.getFileName().toString(), person.getFileName().toString().replace('_', ' '),
                            faces.modelId(), List.of(best));
                    enrolled++;
                }
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "enrolled %d subjects (%d without a face) in %.1f s (%.1f subjects/s), registry in %s%n",
                enrolled, refused, s, enrolled / s, home);
        return ExitCodes.OK;
    }
}
