package org.likeness.cli;

import org.likeness.app.Cancellation;
import org.likeness.app.Scan;
import org.likeness.face.FacePipeline;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.ScanFile;
import org.likeness.scan.ScanHeader;
import org.likeness.scan.ScanRecord;
import org.likeness.scan.ScanRunner;
import org.likeness.scan.ScanSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** {@code likeness scan DATASET -o OUT.jsonl.gz}. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Find every face in a folder, .zip, .tar or .tar.gz and write one JSON line per image (docs/FORMATS.md).")
public final class ScanCommand extends BaseCommand {
    @Parameters(index = "0", arity = "0..1", description = "Folder, .zip, .tar, .tar.gz, a single image, a Parquet table of images, "
            + "or WebDataset/Parquet shards: a folder of them or a quoted glob ('data/0000*.tar').")
    Path dataset;
    @Option(names = "--list", description = "Instead of DATASET: a text file naming one image path per line (relative to the current folder).")
    Path list;
    @Option(names = {"-o", "--output"}, required = true, description = "Scan file to write (.jsonl.gz, .jsonl or .parquet).")
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
        if (dataset != null && !DatasetReader.exists(dataset)) {
            throw new UserException(dataset + ": no such folder, archive or file");
        }
        if (list != null && !Files.isRegularFile(list)) {
            throw new UserException(list + ": no such list file");
        }
        if (dataset != null && Files.exists(dataset)) {
            OutputTree.checkOutside(dataset, output, "the scan file");
        }
        if (resume && org.likeness.scan.ParquetScanFile.isParquet(output)) {
            throw new UserException("--resume works on a .jsonl.gz scan file, not on Parquet output");
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

    /** PDQ on the decoded pixels, one hasher per worker thread. */
    static ScanRunner.ImageHasher pdq() {
        return Scan.pdq();
    }

    /** See {@link Scan#scanThenRead}: progress and per-file failures on {@code err}. */
    public static ScanHeader scanThenRead(PrintWriter err, FacePipeline pipeline, String label, ReaderSource source, long expected, Path scanFile,
                                   int threads, Consumer<ScanRecord> sink) throws IOException {
        return scanThenRead(err, pipeline, label, source, expected, scanFile, null, threads, sink);
    }

    /** See {@link Scan#scanThenRead}: progress and per-file failures on {@code err}. */
    public static ScanHeader scanThenRead(PrintWriter err, FacePipeline pipeline, String label, ReaderSource source, long expected,
                                   Path scanFile, Path home, int threads, Consumer<ScanRecord> sink) throws IOException {
        return new Scan(pipeline, threads, new CliListener(err, true), Cancellation.none())
                .scanThenRead(label, source::open, expected, scanFile, home, sink);
    }

    /** Opens a dataset reader (lets callers scan a list of files instead of a folder). */
    public interface ReaderSource {
        DatasetReader open() throws IOException;
    }

    /** Prints each bad line of a scan file as {@code likeness: FILE: line N: REASON; line skipped}. */
    public static ScanFile.Problems problems(PrintWriter err, Path file) {
        return Scan.problems(new CliListener(err, false), file);
    }

    static ScanSummary scan(PrintWriter err, FacePipeline pipeline, String label, ReaderSource source, long expected, Path output, int threads,
                            boolean resume, boolean progress, boolean hash) throws IOException {
        return new Scan(pipeline, threads, new CliListener(err, progress), Cancellation.none())
                .run(new Scan.Request(label, source::open, expected, output, resume, hash));
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
