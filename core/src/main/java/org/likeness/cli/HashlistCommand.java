package org.likeness.cli;

import org.likeness.evidence.HolderKey;
import org.likeness.hashlist.HashList;
import org.likeness.hashlist.HashListException;
import org.likeness.hashlist.HashListExport;
import org.likeness.hashlist.HashListStore;
import org.likeness.json.Json;
import org.likeness.registry.Registry;
import org.likeness.registry.RegistryLocation;
import org.likeness.scan.OutputTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code likeness hashlist export|key|trust|import|show}: signed hash lists from a data holder to marketplaces (docs/HASHLISTS.md). */
@Command(name = "hashlist", mixinStandardHelpOptions = true,
        description = "Hash lists for marketplaces: the holder exports a signed, versioned, expiring list of its collections' PDQ hashes"
                + " (and, with --with-faces, keyed face sketches, never templates); a marketplace trusts the holder's key, imports the list"
                + " and `likeness screen`s listings against it.",
        subcommands = {HashlistCommand.Export.class, HashlistCommand.Key.class, HashlistCommand.Trust.class, HashlistCommand.Import.class,
                HashlistCommand.Show.class})
final class HashlistCommand {
    final Map<String, String> env;

    HashlistCommand() {
        this(System.getenv());
    }

    HashlistCommand(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    Path home() {
        return RegistryLocation.home(env);
    }

    /** "30d", "12h", "45m", "20s" or an ISO-8601 duration ("P30D"). */
    static Duration duration(String s) {
        try {
            Duration d;
            if (s.matches("\\d{1,9}[dhms]")) {
                long n = Long.parseLong(s.substring(0, s.length() - 1));
                d = switch (s.charAt(s.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            } else {
                d = Duration.parse(s);
            }
            if (d.isNegative() || d.isZero()) {
                throw new UserException("--expires " + s + ": must be longer than zero");
            }
            return d;
        } catch (java.time.format.DateTimeParseException e) {
            throw new UserException("--expires " + s + ": not a duration (30d, 12h, 45m, 20s or ISO-8601 like P30D)");
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a signed list of the named collections as they are now in the registry (images of erased subjects left out)."
                    + " --since VERSION writes a delta from that exported version: additions and removals.")
    static final class Export extends BaseCommand {
        @ParentCommand
        HashlistCommand parent;
        @Option(names = "--collections", required = true, split = ",", paramLabel = "A,B", description = "The collections to list.")
        List<String> collections;
        @Option(names = "--name", paramLabel = "NAME", description = "The list's name (default: the collections joined by '+').")
        String name;
        @Option(names = "--with-faces", description = "Add keyed face sketches (256 bits each; no template) for copies PDQ cannot match.")
        boolean withFaces;
        @Option(names = "--since", paramLabel = "VERSION", description = "Write a delta from this exported version.")
        Long since;
        @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "30d", description = "Validity (default ${DEFAULT-VALUE}).")
        String expires;
        @Option(names = "--contact", paramLabel = "TEXT", description = "Whom a marketplace contacts about a match (default: the contact of the previous export, else each collection's owner).")
        String contact;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "LIST", description = "The list file to write.")
        Path output;
        @Mixin
        DbOption dbOption;
        @Mixin
        ActorOption actorOption;

        @Override
        public Integer call() throws IOException {
            Duration validity = duration(expires);
            String listName = name != null ? name : String.join("+", collections);
            if (Files.isDirectory(output)) {
                throw new UserException(output + ": is a folder (-o names the list file to write)");
            }
            try (RegistryAccess access = RegistryAccess.open(dbOption.db(), parent.env, actorOption.actor())) {
                Registry r = access.registry;
                HolderKey key = HolderKey.loadOrCreate(r.location().home().resolve("registry"));
                HashListExport.Exported x;
                try {
                    x = new HashListExport(r, r.location().home(), key).export(new HashListExport.Request(listName, collections, withFaces,
                            since, validity, contact), Instant.now());
                } catch (HashListException e) {
                    throw new UserException(e.getMessage());
                } catch (IllegalArgumentException e) {
                    throw new UserException(e.getMessage());
                }
                OutputTree.writeFile(output, x.file());
                HashList l = x.list();
                Map<String, Object> logged = new LinkedHashMap<>();
                logged.put("list", l.name());
                logged.put("version", l.version());
                logged.put("base", l.base());
                logged.put("collections", collections);
                logged.put("entries", x.entries());
                logged.put("added", l.added().size());
                logged.put("removed", l.removed().size());
                logged.put("face_sketches", x.faces());
                logged.put("holder_key", l.holderKeyId());
                logged.put("expires_at", l.expiresAt().toString());
                r.record("hashlist.export", logged);
                out().printf(Locale.ROOT, "exported %s version %d (%s): %d entries, %d face sketches; %d added, %d removed; %d image(s) of"
                                + " erased subjects left out; expires %s; signed by holder key %s -> %s%n", l.name(), l.version(),
                        l.delta() ? "delta from " + l.base() : "full", x.entries(), x.faces(), l.added().size(), l.removed().size(),
                        x.leftOutErased(), l.expiresAt(), l.holderKeyId(), output);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "key", mixinStandardHelpOptions = true,
            description = "Print (or write) the holder's Ed25519 public key, which marketplaces trust with `hashlist trust` (created on first use).")
    static final class Key extends BaseCommand {
        @ParentCommand
        HashlistCommand parent;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the PEM here instead of printing it.")
        Path output;

        @Override
        public Integer call() throws IOException {
            HolderKey key = HolderKey.loadOrCreate(parent.home().resolve("registry"));
            if (output == null) {
                out().print(key.publicPem());
            } else {
                OutputTree.writeFile(output, key.publicPem().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out().println("holder key " + HolderKey.id(key.publicKey()) + " -> " + output);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
            description = "Trust a data holder's public key (PEM from `hashlist key`, received out of band: check its id with the holder).")
    static final class Trust extends BaseCommand {
        @ParentCommand
        HashlistCommand parent;
        @Parameters(index = "0", paramLabel = "KEYFILE")
        Path keyFile;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(keyFile)) {
                throw new LikenessException(ExitCodes.ERROR, keyFile, "no such file");
            }
            String id = new HashListStore(parent.home()).trust(keyFile);
            out().println("trusted holder key " + id + " (" + keyFile + ")");
            return ExitCodes.OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Verify a list (trusted key, signature, expiry, version order) and apply it; a refused list changes nothing"
                    + " (the last good version is kept). Exit 0 imported, 1 refused, 2 on errors.")
    static final class Import extends BaseCommand {
        @ParentCommand
        HashlistCommand parent;
        @Parameters(index = "0", paramLabel = "LIST")
        Path list;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(list)) {
                throw new LikenessException(ExitCodes.ERROR, list, "no such file");
            }
            if (Files.size(list) > MAX_LIST_BYTES) {
                throw new LikenessException(ExitCodes.SOME_FAILED, list, "refused: larger than " + MAX_LIST_BYTES / (1 << 20) + " MiB");
            }
            HashListStore store = new HashListStore(parent.home());
            HashListStore.Imported x;
            try {
                x = store.importList(Files.readAllBytes(list), Instant.now());
            } catch (HashListException e) {
                throw new LikenessException(ExitCodes.SOME_FAILED, list, e.getMessage());
            }
            out().printf(Locale.ROOT, "imported %s version %d (%s) from holder key %s: %d added, %d removed, %d entries held%n", x.name(),
                    x.version(), x.base() == null ? "full" : "delta from " + x.base(), x.holderKey(), x.added(), x.removed(), x.entries());
            return ExitCodes.OK;
        }
    }

    /**
     * The largest list file imported: 64 MiB, about 300,000 images with one face each at the 213 bytes per entry
     * measured for 100,000 (docs/BENCHMARKS.md, "Screen"). It is parsed whole before the signature can be checked: at the
     * launcher's -Xmx1g a signed 63 MB list (440,000 entries) imported with 1.2 GB resident, while a 157 MB one with a
     * forged signature ran out of heap (docs/SECURITY.md, 7). Larger is refused unread.
     */
    static final long MAX_LIST_BYTES = 64L << 20;

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The lists this marketplace holds.")
    static final class Show extends BaseCommand {
        @ParentCommand
        HashlistCommand parent;
        @Mixin
        JsonOption jsonOption;

        @Override
        public Integer call() throws IOException {
            List<HashList> held = new HashListStore(parent.home()).held();
            if (jsonOption.json()) {
                var a = Json.MAPPER.createArrayNode();
                for (HashList l : held) {
                    a.addObject().put("list", l.name()).put("holder_key", l.holderKeyId()).put("version", l.version())
                            .put("expires_at", l.expiresAt().toString()).put("entries", l.added().size()).put("faces", l.withFaces());
                }
                out().println(Json.PRETTY.writeValueAsString(a));
            } else if (held.isEmpty()) {
                out().println("no hash list held (see `likeness hashlist import`)");
            } else {
                Instant now = Instant.now();
                for (HashList l : held) {
                    out().printf(Locale.ROOT, "%s v%d (key %s): %d entries%s, expires %s%s%n", l.name(), l.version(), l.holderKeyId(),
                            l.added().size(), l.withFaces() ? " with faces" : "", l.expiresAt(), now.isBefore(l.expiresAt()) ? "" : " (EXPIRED)");
                }
            }
            return ExitCodes.OK;
        }
    }
}
