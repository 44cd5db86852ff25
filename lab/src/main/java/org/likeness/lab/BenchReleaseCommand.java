package org.likeness.lab;

import org.likeness.cli.BaseCommand;
import org.likeness.cli.ExitCodes;

import org.likeness.fingerprint.FingerprintKey;
import org.likeness.fingerprint.Fingerprinter;
import org.likeness.image.DecodeException;
import org.likeness.image.DecodedImage;
import org.likeness.image.ImageDecoder;
import org.likeness.model.Sha256;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** {@code likeness bench release --images ROOT}: the release speed target (5,000 photos ≤ 60 s), pixels end to end. */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Write one recipient's fingerprinted copy of N photos, timed: read, sha256, decode, mark, encode in the original's format, check PSNR, write; on every core.",
                "The registry side of `release` (rows, log) is not included."})
final class BenchReleaseCommand extends BaseCommand {
    @Option(names = "--images", required = true, description = "Folder of photos (recursive), e.g. ../shared/data/lfw-dev/images.")
    Path images;
    @Option(names = "--limit", description = "Photos released, spread evenly over the sorted list (default ${DEFAULT-VALUE}).")
    int limit = 5000;
    @Option(names = {"-o", "--output", "--out"}, description = "Folder for the released files (default: a new temporary folder).")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<Path> photos = EvalFingerprintCommand.sample(images, limit);
        Path dir = out != null ? Files.createDirectories(out) : Files.createTempDirectory("likeness-bench-release-");
        Fingerprinter fingerprinter = new Fingerprinter();
        FingerprintKey key = FingerprintKey.generate(new SecureRandom());
        ImageDecoder decoder = new ImageDecoder();
        AtomicInteger failed = new AtomicInteger(), weaker = new AtomicInteger();
        AtomicLong bytesOut = new AtomicLong();
        long t0 = System.nanoTime();
        photos.parallelStream().forEach(p -> {
            try {
                byte[] bytes = Files.readAllBytes(p);
                String sha = Sha256.of(bytes);
                try (DecodedImage img = decoder.decode(p.toString(), bytes)) {
                    Fingerprinter.Release r = fingerprinter.release(img.bgr(), img.format(), key, "bench-recipient", sha);
                    weaker.addAndGet(r.strength() < 1 ? 1 : 0);
                    Files.write(dir.resolve(sha + r.file().extension()), r.file().bytes());
                    bytesOut.addAndGet(r.file().bytes().length);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(p + ": " + e.getMessage(), e);
            } catch (DecodeException | RuntimeException e) {
                err().println("likeness: " + p + ": " + e.getMessage());
                failed.incrementAndGet();
            }
        });
        double s = (System.nanoTime() - t0) / 1e9;
        int released = photos.size() - failed.get();
        out().printf(Locale.ROOT, "released %d photos (%d failed, %d re-marked weaker for PSNR) in %.1f s (%.1f photos/s, %.1f ms per photo per core on %d cores), %.1f MB written to %s%n",
                released, failed.get(), weaker.get(), s, released / s, s * 1000 * Runtime.getRuntime().availableProcessors() / Math.max(1, released),
                Runtime.getRuntime().availableProcessors(), bytesOut.get() / 1e6, dir);
        return failed.get() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }
}
