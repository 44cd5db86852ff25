package org.likeness.cli;

import org.likeness.hash.PdqDihedral;
import org.likeness.hash.PdqHash;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code likeness hash FILE…}. */
@Command(name = "hash", mixinStandardHelpOptions = true,
        description = "PDQ hash (64 hex digits) and quality (0-100) of each image; --dihedral prints all 8 variants.")
final class HashCommand extends BaseCommand {
    @Parameters(arity = "1..*", description = "Image files.")
    List<Path> files;
    @Option(names = "--dihedral", description = "Print the hashes of the 8 rotations/flips too.")
    boolean dihedral;

    @Override
    public Integer call() {
        ImageDecoder decoder = new ImageDecoder();
        PdqHasher hasher = new PdqHasher();
        int failed = 0;
        for (Path f : files) {
            try (DecodedImage img = decoder.decode(f.toString(), Files.readAllBytes(f))) {
                PdqResult r = hasher.hash(img.bgr());
                out().println(r.hash().toHex() + " " + r.quality() + " " + f);
                if (dihedral) {
                    List<PdqHash> vs = hasher.dihedral(img.bgr());
                    for (PdqDihedral d : PdqDihedral.values()) {
                        out().println("  " + vs.get(d.ordinal()).toHex() + " " + d.name().toLowerCase());
                    }
                }
            } catch (DecodeException e) {
                err().println("likeness: " + e.getMessage());
                failed++;
            } catch (IOException e) {
                err().println("likeness: " + f + ": cannot read: " + e.getMessage());
                failed++;
            } catch (RuntimeException e) {
                err().println("likeness: " + f + ": hashing failed: " + e);
                failed++;
            }
        }
        return failed > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }
}
