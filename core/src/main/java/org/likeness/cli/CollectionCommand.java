package org.likeness.cli;

import org.likeness.json.Json;
import org.likeness.face.Face;
import org.likeness.face.FacePipeline;
import org.likeness.registry.CollectionChange;
import org.likeness.registry.CollectionFace;
import org.likeness.registry.CollectionImage;
import org.likeness.registry.CollectionInfo;
import org.likeness.registry.ConsentStatus;
import org.likeness.registry.Identification;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.ScanRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code likeness collection add|list|show|rescan|remove}: datasets an organisation holds, registered for remediation and tracing. */
@Command(name = "collection", mixinStandardHelpOptions = true,
        description = "Register the datasets you hold: scanned once (paths, sha256, PDQ, faces and who they are), so that a revocation"
                + " or erasure lists every copy of the subject's face, `redact --collection` cleans them, and `trace` recognises leaks.",
        subcommands = {CollectionCommand.Add.class, CollectionCommand.ListCollections.class, CollectionCommand.Show.class,
                CollectionCommand.Rescan.class, CollectionCommand.Remove.class})
final class CollectionCommand {
    final Map<String, String> env;

    CollectionCommand() {
        this(System.getenv());
    }

    CollectionCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    abstract static class Action extends BaseCommand {
        @ParentCommand
        CollectionCommand parent;
        @Mixin
        DbOption dbOption;
        @Mixin
        JsonOption jsonOption;
        @Mixin
        ActorOption actorOption;

        String actor() {
            return actorOption.actor();
        }

        void print(Object jsonValue, String text) throws IOException {
            out().println(jsonOption.json() ? Json.PRETTY.writeValueAsString(jsonValue) : text);
        }
    }

    /** Shared by add and rescan: scan the dataset, identify every face (fail closed), keep what the registry needs. */
    abstract static class Scanning extends Action {
        @Mixin
        ThreadsOption threadsOption;
        @Mixin
        PipelineOptions pipelineOptions;
        @Option(names = "--scan", paramLabel = "SCAN", description = "Use this earlier scan of the dataset (`likeness scan DATASET -o SCAN`) instead of scanning again.")
        Path scan;

        int failed;

        org.likeness.app.CollectionScan useCase() {
            return new org.likeness.app.CollectionScan(org.likeness.app.FaceScanner.of(() -> pipelineOptions.open(1), threadsOption.threads()),
                    new org.likeness.app.RegistrySession(dbOption.db(), parent.env), actor());
        }

        <T> T done(org.likeness.app.CollectionScan.Result<T> r) {
            failed = r.failed();
            return r.stored();
        }

        CliListener listener() {
            return new CliListener(err(), true);
        }

        int exit() {
            return failed == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Scan a dataset you hold and register it as a collection.")
    static final class Add extends Scanning {
        @Parameters(index = "0", paramLabel = "NAME", description = "Collection name: letters, digits, '.', '_', '-'.")
        String name;
        @Parameters(index = "1", paramLabel = "DATASET", description = "Folder, .zip, .tar or .tar.gz; rescan and redact read it from here later.")
        Path dataset;
        @Option(names = "--owner", paramLabel = "ORG", description = "Organisation that holds it (default: the actor).")
        String owner;

        @Override
        public Integer call() throws IOException {
            CollectionInfo info = done(useCase().add(name, owner, dataset, scan, listener(), org.likeness.app.Cancellation.none()));
            print(json(info), "registered collection " + info.name() + " (owner " + info.owner() + "): " + info.images()
                    + " images, " + info.faces() + " faces" + (failed > 0 ? "; " + failed + " file(s) could not be read" : ""));
            return exit();
        }
    }

    @Command(name = "rescan", mixinStandardHelpOptions = true,
            description = "Scan a registered collection again (files added, removed or changed; faces identified against today's registry).")
    static final class Rescan extends Scanning {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            CollectionChange c = done(useCase().rescan(name, scan, listener(), org.likeness.app.Cancellation.none()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("collection", name);
            m.put("added", c.added());
            m.put("removed", c.removed());
            m.put("changed", c.changed());
            m.put("unchanged", c.unchanged());
            m.put("failed", failed);
            print(m, "rescanned " + name + ": " + c.added() + " added, " + c.removed() + " removed, " + c.changed() + " changed, "
                    + c.unchanged() + " unchanged" + (failed > 0 ? "; " + failed + " file(s) could not be read" : ""));
            return exit();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered collections.")
    static final class ListCollections extends Action {
        @Override
        public Integer call() throws IOException {
            try (org.likeness.app.RegistryAccess access = new org.likeness.app.RegistrySession(dbOption.db(), parent.env).open(actor())) {
                List<CollectionInfo> all = access.registry.collections();
                StringBuilder sb = new StringBuilder();
                for (CollectionInfo c : all) {
                    sb.append(String.format(Locale.ROOT, "%-24s %-20s %7d images %7d faces  scanned %s  %s%n", c.name(), c.owner(),
                            c.images(), c.faces(), c.scannedAt(), c.location()));
                }
                sb.append(all.size()).append(" collection(s)");
                print(all.stream().map(CollectionCommand::json).toList(), sb.toString());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A collection's details: the subjects identified in it and, with --purpose, their consent now.")
    static final class Show extends Action {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--purpose", converter = Choices.PurposeWord.class, completionCandidates = Choices.PurposeWord.class, paramLabel = "P", description = "Also evaluate each subject's consent for this purpose now.")
        String purpose;

        @Override
        public Integer call() throws IOException {
            try (org.likeness.app.RegistryAccess access = new org.likeness.app.RegistrySession(dbOption.db(), parent.env).open(actor())) {
                Registry r = access.registry;
                CollectionInfo info = r.collection(name);
                Map<String, Integer> imagesPerSubject = new TreeMap<>();
                int unknown = 0;
                for (CollectionImage i : r.collectionImages(name, false)) {
                    for (CollectionFace f : i.faces()) {
                        if (f.subjectId() == null) {
                            unknown++;
                        } else {
                            imagesPerSubject.merge(f.subjectId(), 1, Integer::sum);
                        }
                    }
                }
                Map<String, Object> m = json(info);
                List<Map<String, Object>> subjects = new ArrayList<>();
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s (owner %s) at %s%n%d images, %d faces: %d identified, %d unknown;"
                        + " model %s; registered %s, scanned %s%n", info.name(), info.owner(), info.location(), info.images(), info.faces(),
                        info.faces() - unknown, unknown, info.modelId(), info.createdAt(), info.scannedAt()));
                Purpose p = purpose == null ? null : Purpose.parse(purpose);
                Instant now = Instant.now();
                for (Map.Entry<String, Integer> e : imagesPerSubject.entrySet()) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("subject", e.getKey());
                    s.put("faces", e.getValue());
                    String line = String.format(Locale.ROOT, "  %-32s %5d face(s)", e.getKey(), e.getValue());
                    if (p != null) {
                        ConsentStatus st = r.status(e.getKey(), p, now);
                        s.put("status", st.state().name().toLowerCase(Locale.ROOT));
                        line += "  " + p.word() + ": " + st.state().name().toLowerCase(Locale.ROOT);
                    }
                    subjects.add(s);
                    sb.append(line).append('\n');
                }
                m.put("unknown_faces", unknown);
                m.put("subjects", subjects);
                print(m, sb.toString().stripTrailing());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Forget a collection: its images, faces, encrypted templates and release records (the log keeps that they existed).")
    static final class Remove extends Action {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            try (org.likeness.app.RegistryAccess access = new org.likeness.app.RegistrySession(dbOption.db(), parent.env).open(actor())) {
                access.registry.removeCollection(name);
            }
            print(Map.of("removed", name), "removed collection " + name);
            return ExitCodes.OK;
        }
    }

    static Map<String, Object> json(CollectionInfo c) {
        return org.likeness.app.RegistryJson.collection(c);
    }
}
