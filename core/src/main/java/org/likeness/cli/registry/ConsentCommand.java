package org.likeness.cli.registry;

import org.likeness.cli.Choices;
import org.likeness.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.likeness.registry.Consent;
import org.likeness.registry.ConsentGrant;
import org.likeness.registry.ConsentStatus;
import org.likeness.registry.InputTime;
import org.likeness.registry.NotFoundException;
import org.likeness.registry.Purpose;
import org.likeness.registry.Registry;
import org.likeness.app.Propagation;
import org.likeness.app.RegistryJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code likeness consent ...}: record, withdraw and show consent per purpose. */
@Command(name = "consent", description = "Grant, revoke, list and evaluate consents; print receipts.",
        mixinStandardHelpOptions = true,
        subcommands = {ConsentCommand.Grant.class, ConsentCommand.Revoke.class, ConsentCommand.ListConsents.class,
                ConsentCommand.Status.class, ConsentCommand.Receipt.class})
public final class ConsentCommand {
    static final String PURPOSES = "training, evaluation, publication or identification";

    private final Map<String, String> env;

    public ConsentCommand() {
        this(System.getenv());
    }

    public ConsentCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    abstract static class ConsentAction extends RegistryAction {
        @ParentCommand
        ConsentCommand parent;

        @Override
        Map<String, String> env() {
            return parent.env;
        }
    }

    /** A command about one subject's consent for one purpose: {@code ID --purpose P}, declared once. */
    abstract static class SubjectPurposeAction extends ConsentAction {
        @Parameters(paramLabel = "ID", description = "Subject id.")
        String id;

        @Option(names = "--purpose", converter = Choices.PurposeWord.class, completionCandidates = Choices.PurposeWord.class, required = true, paramLabel = "P", description = PURPOSES + ".")
        String purpose;
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Record a consent for one purpose.")
    static final class Grant extends SubjectPurposeAction {
        @Option(names = "--from", paramLabel = "DATE", description = "Valid from: YYYY-MM-DD (UTC midnight) or an"
                + " ISO-8601 instant. Default: now.")
        String from;

        @Option(names = "--until", paramLabel = "DATE", description = "Valid until (exclusive); default: no expiry.")
        String until;

        @Option(names = "--basis", paramLabel = "TEXT", description = "Legal basis, e.g. 'GDPR Art. 9(2)(a) explicit consent'.")
        String basis;

        @Option(names = "--evidence", paramLabel = "FILE", description = "Signed form or recording; only its SHA-256"
                + " is stored.")
        Path evidence;

        @Override
        int run(Registry registry, PrintWriter out) throws IOException {
            Purpose p = Purpose.parse(purpose);
            Instant validFrom = from == null ? Instant.now() : InputTime.parse("--from", from);
            Instant validUntil = InputTime.parse("--until", until);
            String evidenceSha = evidence == null ? null : sha256(evidence);
            Consent c = registry.grant(new ConsentGrant(id, p, validFrom, validUntil, basis, evidenceSha));
            print(RegistryJson.consent(c), "granted consent " + c.id() + ": " + c.subjectId() + " for "
                    + c.purpose().word() + " from " + c.validFrom()
                    + (c.validUntil() == null ? "" : " until " + c.validUntil()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Withdraw the subject's active consents for a purpose, from now on.")
    static final class Revoke extends SubjectPurposeAction {
        @Override
        int run(Registry registry, PrintWriter out) {
            Purpose p = Purpose.parse(purpose);
            List<Consent> revoked = registry.revoke(id, p);
            List<String> lines = new ArrayList<>();
            for (Consent c : revoked) {
                lines.add("revoked consent " + c.id() + ": " + c.subjectId() + " for " + c.purpose().word()
                        + " at " + c.revokedAt());
            }
            Propagation impact = Propagation.report(registry, id, "revoke", p.word());
            lines.add(impact.text());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("revoked", revoked.stream().map(RegistryJson::consent).toList());
            json.put("impact", impact.json());
            print(json, String.join("\n", lines));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a subject's consent records.")
    static final class ListConsents extends ConsentAction {
        @Parameters(paramLabel = "ID", description = "Subject id.")
        String id;

        @Override
        int run(Registry registry, PrintWriter out) {
            List<Consent> consents = registry.consents(id);
            List<String> lines = new ArrayList<>();
            consents.forEach(c -> lines.add(RegistryJson.consentLine(c)));
            lines.add(consents.size() + " consent record(s)");
            print(consents.stream().map(RegistryJson::consent).toList(), String.join("\n", lines));
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Evaluate consent for a purpose at a time, and name the record that decided it.")
    static final class Status extends SubjectPurposeAction {
        @Option(names = "--at", paramLabel = "DATE", description = "When; default: now.")
        String at;

        @Override
        int run(Registry registry, PrintWriter out) {
            Instant when = at == null ? Instant.now() : InputTime.parse("--at", at);
            ConsentStatus s = registry.status(id, Purpose.parse(purpose), when);
            print(RegistryJson.status(s), s.subjectId() + " " + s.purpose().word() + " at " + s.at() + ": "
                    + s.state() + (s.consentId() == null ? "" : " (consent " + s.consentId() + ")"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "receipt", mixinStandardHelpOptions = true,
            description = {"Print, as JSON, the consent record that decides the purpose now, with the fields of an"
                    + " ISO/IEC TS 27560 consent record that the registry holds."})
    static final class Receipt extends SubjectPurposeAction {
        @Override
        int run(Registry registry, PrintWriter out) {
            Purpose p = Purpose.parse(purpose);
            ConsentStatus s = registry.status(id, p, Instant.now());
            if (s.consentId() == null) {
                throw new NotFoundException("subject '" + id + "' has no consent record for purpose " + p.word()
                        + " (" + s.state() + ")");
            }
            Consent c = registry.consents(id).stream().filter(k -> k.id() == s.consentId()).findFirst().orElseThrow();
            printJson(org.likeness.app.ConsentReceipt.of(c, s, registry.logHead())); // a receipt is JSON whatever --json says
            return ExitCodes.OK;
        }
    }

    static String sha256(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("evidence file " + file + " does not exist or is not a file");
        }
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
