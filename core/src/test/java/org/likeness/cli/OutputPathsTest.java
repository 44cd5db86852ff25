package org.likeness.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.likeness.Models;
import org.likeness.SharedData;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scan -o, audit --report and release -o never write inside the dataset reached through an alias, nor through a link
 * planted at an output's name.
 */
class OutputPathsTest {
    @TempDir
    Path tmp;

    private Path dataset() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.copy(lfw.resolve("Aaron_Peirsol/Aaron_Peirsol_0001.jpg"), data.resolve("a.jpg"));
        Files.copy(lfw.resolve("George_W_Bush/George_W_Bush_0002.jpg"), data.resolve("b.jpg"));
        return data;
    }

    @Test
    void outputsThroughAnAliasOfTheDatasetAreRefused() throws Exception {
        Path data = dataset();
        Path alias = Files.createSymbolicLink(tmp.resolve("alias"), data);
        TestRegistry registry = new TestRegistry(tmp.resolve("home"));
        TestRegistry.Run scan = registry.exec("scan", data.toString(), "-o", alias.resolve("faces.jsonl.gz").toString());
        assertThat(scan.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(scan.err()).contains("inside the dataset");
        TestRegistry.Run audit = registry.exec("audit", data.toString(), "--purpose", "training", "--report", alias.resolve("report").toString());
        assertThat(audit.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(audit.err()).contains("inside the dataset");
        try (var s = Files.list(data)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("a.jpg", "b.jpg");
        }
        Models.store();
        registry.run("collection", "add", "set", data.toString());
        TestRegistry.Run release = registry.exec("release", "set", "--to", "acme", "-o", alias.resolve("copy").toString());
        assertThat(release.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(release.err()).contains("inside the dataset");
        assertThat(data.resolve("copy")).doesNotExist();
    }

    @Test
    void linksPlantedAtOutputNamesAreNeverWrittenThrough() throws Exception {
        Models.store();
        Path data = dataset();
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "precious");
        TestRegistry registry = new TestRegistry(tmp.resolve("home"));
        Path report = Files.createDirectories(tmp.resolve("report"));
        for (String name : new String[] {"findings.json", "findings.csv", "report.html"}) {
            Files.createSymbolicLink(report.resolve(name), victim);
        }
        assertThat(registry.exec("audit", data.toString(), "--purpose", "training", "--report", report.toString()).code())
                .isEqualTo(ExitCodes.ERROR);
        assertThat(Files.readString(victim)).isEqualTo("precious");

        Path scanLink = Files.createSymbolicLink(tmp.resolve("faces.jsonl.gz"), victim);
        assertThat(registry.exec("scan", data.toString(), "-o", scanLink.toString()).code()).isNotZero();
        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertThat(Files.isSymbolicLink(scanLink)).isTrue();

        Path clean = Files.createDirectories(tmp.resolve("report2"));
        assertThat(registry.audit(data, clean)).isEqualTo(ExitCodes.NOT_CONSENTED);
        assertThat(Files.isRegularFile(clean.resolve("findings.json"), LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Map.of("files", clean.toFile().list().length)).containsEntry("files", 4);
    }
}
