package org.likeness.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.likeness.evidence.HolderKey;
import org.likeness.evidence.StatementVerifier;
import org.likeness.registry.RegistryLocation;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code likeness verify STATEMENT}: checks a signed evidence statement from {@code trace --evidence}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check a signed evidence statement (trace --evidence): the Ed25519 signature over its canonical JSON, that the signer is the holder's key,"
                + " and against the registry: log intact, the stated log head, every cited release record and its log entry unchanged.",
                "Exit 0 when every check holds, 1 when one fails, 2 on errors. --export-key prints the holder's public key (PEM) for a regulator."})
final class VerifyCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "STATEMENT", description = "statement.json written by trace --evidence.")
    Path statement;
    @Option(names = "--public-key", paramLabel = "PEM", description = "The holder's public key to trust (default: the registry's holder-ed25519.pub).")
    Path publicKey;
    @Mixin
    DbOption dbOption;
    @Option(names = "--no-registry", description = "Check the signature only, not the registry's log and releases.")
    boolean noRegistry;
    @Option(names = "--export-key", description = "Print the holder's public key (PEM) and exit.")
    boolean exportKey;

    private final Map<String, String> env;

    VerifyCommand() {
        this(System.getenv());
    }

    VerifyCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        Path keyDir = RegistryLocation.resolve(dbOption.db(), env).home().resolve("registry");
        if (exportKey) {
            out().print(HolderKey.loadOrCreate(keyDir).publicPem());
            return ExitCodes.OK;
        }
        if (statement == null) {
            throw new UserException("verify needs a STATEMENT (or --export-key)");
        }
        if (!Files.isRegularFile(statement)) {
            throw new UserException(statement + ": no such file");
        }
        JsonNode file;
        try {
            file = StatementVerifier.read(statement);
        } catch (IOException e) {
            throw new UserException(statement + ": not a readable statement (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        PublicKey trusted = publicKey != null ? HolderKey.readPublic(publicKey) : HolderKey.publicKeyIn(keyDir);
        List<StatementVerifier.Check> checks;
        if (noRegistry) {
            checks = StatementVerifier.verify(file, trusted, null);
        } else {
            // opened for inspection: a registry whose log was cut or rewritten still opens, and the log check says what is wrong
            org.likeness.registry.RegistryLocation loc = RegistryLocation.resolve(dbOption.db(), env);
            try (org.likeness.registry.MasterKey key = org.likeness.registry.MasterKey.resolve(loc.defaultKeyFile(), env);
                 org.likeness.registry.Registry registry = org.likeness.registry.Registry.inspect(loc, key, System.getProperty("user.name", "unknown"))) {
                checks = StatementVerifier.verify(file, trusted, registry);
            }
        }
        boolean ok = !checks.isEmpty();
        for (StatementVerifier.Check c : checks) {
            out().println((c.ok() ? "ok     " : "FAILED ") + c.what() + ": " + c.detail());
            ok &= c.ok();
        }
        out().println(ok ? statement + ": verified" + (noRegistry ? " (signature and signer only: the registry's log and releases were not checked)" : "")
                : statement + ": NOT verified");
        return ok ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }
}
