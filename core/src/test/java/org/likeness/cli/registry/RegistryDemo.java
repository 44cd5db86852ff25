package org.likeness.cli.registry;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A stand-in root command for running the registry commands before the application's Main wires
 * them (used to produce the output shown in docs/REGISTRY.md). Photos are read by {@link LinesFaceSource}.
 */
@Command(name = "likeness", mixinStandardHelpOptions = true)
public final class RegistryDemo {
    public static void main(String[] args) {
        CommandLine root = new CommandLine(new RegistryDemo());
        RegistryCommands.addTo(root, LinesFaceSource::new);
        System.exit(root.execute(args));
    }
}
