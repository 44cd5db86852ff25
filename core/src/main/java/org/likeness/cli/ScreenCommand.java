package org.likeness.cli;

import org.likeness.face.FacePipeline;
import org.likeness.hashlist.HashListStore;
import org.likeness.json.Json;
import org.likeness.registry.RegistryLocation;
import org.likeness.scan.DatasetReader;
import org.likeness.scan.OutputTree;
import org.likeness.scan.Progress;
import org.likeness.scan.ScanRecord;
import org.likeness.screen.ScreenLists;
import org.likeness.screen.ScreenPolicy;
import org.likeness.screen.ScreenResult;
import org.likeness.screen.Screener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code likeness screen LISTING}: a marketplace's gate (docs/HASHLISTS.md, "Screening"). */
@Command(name = "screen", mixinStandardHelpOptions = true,
        description = "Screen a marketplace listing before it goes on sale: is it a face dataset (share of images with faces, faces per image,"
                + " distinct identities, near-duplicates), does it match the imported hash lists (PDQ, also rotated or mirrored; faces through"
                + " the lists' sketches), and the decision of the policy: allow, review or block. Exit 0 allow, 3 review or block, 2 on errors.")
final class ScreenCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "LISTING", description = "Folder, .zip, .tar or .tar.gz of the listing's photos, or a scan of them"
            + " (.jsonl / .jsonl.gz from `likeness scan`).")
    Path listing;
    @Mixin
    JsonOption jsonOption;
    @Option(names = "--report", paramLabel = "DIR", description = "Write screen.json and screen.txt here.")
    Path report;
    @Option(names = "--policy", paramLabel = "FILE", description = "The marketplace's policy (JSON thresholds; docs/HASHLISTS.md, \"Policy\").")
    Path policyFile;
    @Mixin
    ThreadsOption threadsOption;
    @Option(names = "--no-progress", description = "No progress line on stderr.")
    boolean noProgress;
    @Mixin
    PipelineOptions pipelineOptions;

    private final Map<String, String> env;

    ScreenCommand() {
        this(System.getenv());
    }

    ScreenCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        if (!Files.exists(listing)) {
            throw new UserException(listing + ": no such folder or archive");
        }
        if (report != null) {
            if (Files.exists(report, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(report)) {
                throw new UserException(report + ": exists and is not a folder (--report names a folder to write into)");
            }
            OutputTree.checkOutside(listing, report, "the report");
        }
        ScreenPolicy policy = policyFile == null ? ScreenPolicy.DEFAULT : readPolicy();
        HashListStore store = new HashListStore(RegistryLocation.home(env));
        ScreenResult result;
        if (TraceCommand.isScan(listing)) {
            List<ScanRecord> records = new ArrayList<>();
            org.likeness.scan.ScanHeader header = org.likeness.scan.ScanFile.read(listing, records::add, ScanCommand.problems(err(), listing));
            ScreenLists lists = new ScreenLists(store.held(), Instant.now(), header.embedder());
            result = new Screener(lists, null, policy, 1).screenScan(listing.toString(), records, header.embedder());
        } else {
            try (FacePipeline pipeline = pipelineOptions.open(1)) {
                ScreenLists lists = new ScreenLists(store.held(), Instant.now(), pipeline.embedderId());
                result = new Screener(lists, pipeline, policy, threadsOption.threads()).screen(listing.toString(), DatasetReader.open(listing),
                        new Progress(err(), "screen", -1, !noProgress));
            }
        }
        result.images().stream().filter(i -> i.error() != null).forEach(i -> err().println("likeness: " + i.path() + ": " + i.error()));
        result.lists().stream().filter(h -> h.note() != null && !h.used())
                .forEach(h -> err().println("likeness: hash list " + h.list().name() + ": " + h.note()));
        if (report != null) {
            OutputTree.makeFolders(report, report);
            OutputTree.writeFile(report.resolve("screen.json"), Json.PRETTY.writeValueAsBytes(result.json()));
            OutputTree.writeFile(report.resolve("screen.txt"), (result.text() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out().println(jsonOption.json() ? Json.PRETTY.writeValueAsString(result.json()) : result.text());
        return ScreenResult.ALLOW.equals(result.decision()) ? ExitCodes.OK : ExitCodes.SCREEN_HELD;
    }

    private ScreenPolicy readPolicy() throws IOException {
        if (!Files.isRegularFile(policyFile)) {
            throw new LikenessException(ExitCodes.ERROR, policyFile, "no such policy file");
        }
        try {
            return ScreenPolicy.read(policyFile);
        } catch (IOException e) {
            throw new UserException(e.getMessage());
        }
    }
}
