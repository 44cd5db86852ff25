package org.likeness.cli.registry;

import org.likeness.cli.ExitCodes;
import org.likeness.registry.Registry;
import org.likeness.app.Propagation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Map;

/** {@code likeness impact SUBJECT}: every registered collection image that holds the subject's face. */
@Command(name = "impact", mixinStandardHelpOptions = true,
        description = "List every registered collection and image that holds a subject's face (as identified at registration or the"
                + " last rescan). The same list is printed by `consent revoke` and `subject erase`; each report is logged.")
public final class ImpactCommand extends RegistryAction {
    @Parameters(paramLabel = "SUBJECT", description = "Subject id.")
    String subject;

    private final Map<String, String> env;

    public ImpactCommand() {
        this(System.getenv());
    }

    public ImpactCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    Map<String, String> env() {
        return env;
    }

    @Override
    int run(Registry registry, PrintWriter out) {
        Propagation p = Propagation.report(registry, subject, "query", null);
        print(p.json(), p.text());
        return ExitCodes.OK;
    }
}
