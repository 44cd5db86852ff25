package org.likeness.cli.registry;

import org.likeness.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.likeness.registry.Consent;
import org.likeness.registry.Enrolment;
import org.likeness.registry.FaceSource;
import org.likeness.registry.InputText;
import org.likeness.registry.Registry;
import org.likeness.app.RegistryJson;
import org.likeness.registry.Subject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code likeness subject ...}: register, inspect and erase people. */
@Command(name = "subject", description = "Register, list, show and erase subjects.", mixinStandardHelpOptions = true,
        subcommands = {SubjectCommand.Add.class, SubjectCommand.ListSubjects.class, SubjectCommand.Show.class,
                SubjectCommand.Erase.class, SubjectImportCommand.class})
public final class SubjectCommand {
    private final FaceSourceFactory faces;
    private final Map<String, String> env;

    /** Without a face pipeline: every command but {@code add} works. */
    public SubjectCommand() {
        this(FaceSourceFactory.NONE, System.getenv());
    }

    /** The lead's wiring: {@code new SubjectCommand(() -> new PipelineFaceSource(...))}. */
    public SubjectCommand(FaceSourceFactory faces) {
        this(faces, System.getenv());
    }

    public SubjectCommand(FaceSourceFactory faces, Map<String, String> env) {
        this.faces = Objects.requireNonNull(faces, "faces");
        this.env = Map.copyOf(env);
    }

    FaceSourceFactory faces() {
        return faces;
    }

    Map<String, String> env() {
        return env;
    }

    abstract static class SubjectAction extends RegistryAction {
        @ParentCommand
        SubjectCommand parent;

        @Override
        Map<String, String> env() {
            return parent.env;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Register a subject and enrol the face in each photo. The photos are read by the face"
                    + " pipeline and never stored: only the encrypted template and the photo's SHA-256 are kept.",
                    "A photo with no face, or with several faces and no --face, is refused and nothing is written."})
    static final class Add extends SubjectAction {
        @Option(names = "--id", required = true, description = "Subject id (at most 128 characters), e.g. a pseudonym.")
        String id;

        @Option(names = "--name", description = "Display name (at most 512 characters); cleared on erasure.")
        String name;

        @Option(names = "--face", paramLabel = "N", description = "In photos with several faces, enrol the N-th"
                + " (1-based, in the order the face pipeline reports them).")
        Integer face;

        @Parameters(paramLabel = "PHOTO", arity = "1..*", description = "Photos of the subject.")
        List<Path> photos;

        @Override
        int run(Registry registry, PrintWriter out) throws IOException {
            Subject s;
            String modelId;
            try (FaceSource source = parent.faces.open()) {
                modelId = source.modelId();
                s = org.likeness.app.SubjectEnrolment.enrol(registry, source, org.likeness.registry.Organisations.DEFAULT, id,
                        name, face, photos.stream().map(p -> new org.likeness.app.SubjectEnrolment.Photo(p, p.toString())).toList());
            }
            List<Enrolment> enrolments = registry.enrolments(id);
            Map<String, Object> json = RegistryJson.subject(s);
            json.put("enrolments", enrolments.stream().map(RegistryJson::enrolment).toList());
            print(json, "added subject " + s.id() + " with " + enrolments.size() + " enrolment(s) (model " + modelId + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List subjects.")
    static final class ListSubjects extends SubjectAction {
        @Override
        int run(Registry registry, PrintWriter out) {
            List<Subject> subjects = registry.subjects();
            StringBuilder text = new StringBuilder();
            for (Subject s : subjects) {
                text.append(String.format("%-24s %-28s created %s%s%n", InputText.printable(s.id()),
                        s.displayName() == null ? "-" : InputText.printable(s.displayName()), s.createdAt(),
                        s.erased() ? "  ERASED " + s.erasedAt() : ""));
            }
            text.append(subjects.size()).append(" subject(s)");
            print(subjects.stream().map(RegistryJson::subject).toList(), text.toString());
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a subject, its enrolments and consents.")
    static final class Show extends SubjectAction {
        @Parameters(paramLabel = "ID", description = "Subject id.")
        String id;

        @Override
        int run(Registry registry, PrintWriter out) {
            Subject s = registry.subject(id);
            List<Enrolment> enrolments = registry.enrolments(id);
            List<Consent> consents = registry.consents(id);
            Map<String, Object> json = new LinkedHashMap<>(RegistryJson.subject(s));
            json.put("enrolments", enrolments.stream().map(RegistryJson::enrolment).toList());
            json.put("consents", consents.stream().map(RegistryJson::consent).toList());
            StringBuilder text = new StringBuilder();
            text.append("subject   ").append(InputText.printable(s.id())).append('\n');
            text.append("name      ").append(s.displayName() == null ? "-" : InputText.printable(s.displayName())).append('\n');
            text.append("created   ").append(s.createdAt()).append('\n');
            if (s.erased()) {
                text.append("erased    ").append(s.erasedAt()).append('\n');
            }
            text.append("enrolments ").append(enrolments.size()).append('\n');
            for (Enrolment e : enrolments) {
                text.append(String.format("  %-6d %s  %d-d  quality %.3f  photo sha256 %s%n", e.id(), e.modelId(),
                        e.dimensions(), e.quality(), e.sourceSha256()));
            }
            text.append("consents  ").append(consents.size());
            for (Consent c : consents) {
                text.append("\n  ").append(RegistryJson.consentLine(c));
            }
            print(json, text.toString());
            return ExitCodes.OK;
        }
    }

    @Command(name = "erase", mixinStandardHelpOptions = true,
            description = {"Erase a subject: destroy its data key and templates (crypto-shredding) and clear its name.",
                    "Consent records and the log keep the fact of erasure, without biometric data."})
    static final class Erase extends SubjectAction {
        @Parameters(paramLabel = "ID", description = "Subject id.")
        String id;

        @Override
        int run(Registry registry, PrintWriter out) {
            org.likeness.app.SubjectErasure e = org.likeness.app.SubjectErasure.run(registry, id);
            print(e.json(), e.text());
            return ExitCodes.OK;
        }
    }
}
