package org.likeness.cli;

import org.likeness.face.FacePipeline;
import org.likeness.hash.PdqHasher;
import org.likeness.hash.PdqResult;
import org.likeness.image.ImageDecoder;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.Progress;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanReuse;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;
import org.likeness.scan.ScanRunner;
import org.likeness.scan.ScanSummary;
import org.likeness.scan.ScanWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** {@code likeness scan DATASET -o OUT.jsonl.gz}. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Find every face in a folder, .zip, .tar or .tar.gz and write one JSON line per image (docs/FORMATS.md).")
public final class ScanCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", description = "Folder, .zip, .tar, .tar.gz or a single image.")
    Path dataset;
    @Option(names = "--list", description = "Instead of DATASET: a text file naming one image path per line (relative to the current folder).")
    Path list;
    @Option(names = {"-o", "--output"}, required = true, description = "Scan file to write (.jsonl.gz or .jsonl).")
    Path output;
    @Mixin
    ThreadsOption threadsOption;
    @Option(names = "--resume", description = "Keep the images already in OUTPUT and scan only the rest.")
    boolean resume;
    @Option(names = "--no-hash", description = "Do not compute PDQ hashes (pdq fields stay null).")
    boolean noHash;
    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;
    @Mixin
    PipelineOptions pipelineOptions;

    @Override
    public Integer call() throws IOException {
        if ((dataset == null) == (list == null)) {
            throw new UserException("give either a DATASET or --list FILE");
        }
        if (dataset != null && !Files.exists(dataset)) {
            throw new UserException(dataset + ": no such folder, archive or file");
        }
        if (list != null && !Files.isRegularFile(list)) {
            throw new UserException(list + ": no such list file");
        }
        if (dataset != null) {
            OutputTree.checkOutside(dataset, output, "the scan file");
        }
        try (FacePipeline pipeline = pipelineOptions.open(1)) {
            ScanSummary s;
            if (list != null) {
                List<String> paths = Files.readAllLines(list).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
                s = scan(err(), pipeline, list.toString(), () -> DatasetReader.ofFiles(Path.of(""), paths), paths.size(), output, threadsOption.threads(),
                        resume, !noProgress, !noHash);
            } else {
                s = scan(err(), pipeline, dataset.toString(), () -> DatasetReader.open(dataset), noProgress ? -1 : countFiles(dataset),
                        output, threadsOption.threads(), resume, !noProgress, !noHash);
            }
            out().println(s.line());
            return s.failures() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
        }
    }

    /** PDQ on the decoded pixels, one hasher per worker thread (a PdqHasher reuses its buffers). */
    static ScanRunner.ImageHasher pdq() {
        ThreadLocal<PdqHasher> hashers = ThreadLocal.withInitial(PdqHasher::new);
        return bgr -> {
            PdqResult r = hashers.get().hash(bgr);
            return new ScanRunner.ImageHasher.Hash(r.hash().toHex(), r.quality());
        };
    }

    /**
     * Scans into {@code scanFile} (kept; records of an earlier scan by the same models are reused) or, when it is
     * null, into a temporary file that is deleted afterwards; then streams every record to {@code sink}.
     */
    public static ScanHeader scanThenRead(PrintWriter err, FacePipeline pipeline, String label, ReaderSource source, long expected, Path scanFile,
                                   int threads, Consumer<ScanRecord> sink) throws IOException {
        return scanThenRead(err, pipeline, label, source, expected, scanFile, null, threads, sink);
    }

    /**
     * As above; with {@code home} set, the temporary file lies in $LIKENESS_HOME's scratch folder (registry data: an
     * erasure destroys what a killed run left there), else in the system temp folder (evaluation data only).
     */
    public static ScanHeader scanThenRead(PrintWriter err, FacePipeline pipeline, String label, ReaderSource source, long expected,
                                   Path scanFile, Path home, int threads, Consumer<ScanRecord> sink) throws IOException {
        Path out = scanFile != null ? scanFile
                : home != null ? org.likeness.files.ScratchFiles.create(home) : Files.createTempFile("likeness-", ".jsonl.gz");
        try {
            boolean reuse = false;
            if (scanFile != null && Files.exists(scanFile) && ScanFile.hasCompleteHeader(scanFile)) {
                ScanHeader old = ScanFile.readHeader(scanFile);
                reuse = old.detector().equals(pipeline.detectorId()) && old.landmarks().equals(pipeline.landmarksId())
                        && old.embedder().equals(pipeline.embedderId());
            }
            scan(err, pipeline, label, source, expected, out, threads, reuse, true, true);
            return ScanFile.read(out, sink, ScanCommand.problems(err, out));
        } finally {
            if (scanFile == null) {
                Files.deleteIfExists(out);
            }
        }
    }

    /** Opens a dataset reader (lets callers scan a list of files instead of a folder). */
    public interface ReaderSource {
        DatasetReader open() throws IOException;
    }

    /** Prints each bad line of a scan file as {@code likeness: FILE: line N: REASON; line skipped}. */
    public static ScanFile.Problems problems(PrintWriter err, Path file) {
        return (line, reason) -> Failures.print(err, file, "line " + line + ": " + reason + "; line skipped");
    }

    static ScanSummary scan(PrintWriter err, FacePipeline pipeline, String label, ReaderSource source, long expected, Path output, int threads,
                            boolean resume, boolean progress, boolean hash) throws IOException {
        ScanHeader header = new ScanHeader(ScanHeader.VERSION, label, pipeline.detectorId(),
                pipeline.landmarksId(), pipeline.embedderId(), Instant.now().toString());
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(output.getFileName() + ".resume" + (output.toString().endsWith(".gz") ? ".gz" : ""));
        // an output cut before its header was written (a kill right after it was created) holds nothing to resume
        boolean resuming = resume && Files.exists(output) && ScanFile.hasCompleteHeader(output);
        Path target = resuming ? tmp : output;
        if (resuming) {
            ScanHeader old = ScanFile.readHeader(output);
            if (!old.sameModels(header)) {
                throw new UserException(output + " was made with models " + old.embedder() + "/" + old.detector()
                        + "; cannot resume it with " + header.embedder() + "/" + header.detector());
            }
        }
        ScanRunner runner = new ScanRunner(pipeline, new ImageDecoder(), hash ? pdq() : null, threads);
        ScanSummary summary;
        ScanReuse reuse = resuming ? ScanReuse.plan(output, source.open()) : null;
        if (reuse != null && reuse.upToDate()) {
            return new ScanSummary(0, 0, 0, reuse.count(), 0, List.of());
        }
        try (ScanWriter writer = new ScanWriter(target, header)) {
            if (reuse != null) {
                reuse.copy(output, writer);
            }
            try (DatasetReader reader = source.open()) {
                Progress p = new Progress(err, "scan", expected < 0 || reuse == null ? expected : expected - reuse.count(), progress);
                summary = runner.run(reader, writer, path -> reuse != null && reuse.reused(path), p, err);
            }
        }
        if (resuming) {
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return summary;
    }

    /** File count for the ETA, folders only (archives are read once, as a stream). */
    private static long countFiles(Path dataset) {
        if (!Files.isDirectory(dataset)) {
            return -1;
        }
        try (Stream<Path> s = Files.walk(dataset)) {
            return s.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).count(); // as FolderReader: links and specials are entries too
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }
}
