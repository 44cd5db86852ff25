package org.likeness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The accessibility audit can fail: a form field without a label and an image without alt text are caught. */
class AxeTest {
    @TempDir
    Path tmp;

    @Test
    void findsAnUnlabelledFieldAndAnImageWithoutAlt() throws Exception {
        Path page = tmp.resolve("bad.html");
        Files.writeString(page, "<!DOCTYPE html><html lang=\"en\"><head><title>t</title></head><body><main>"
                + "<input type=\"text\"><img src=\"x.png\"></main></body></html>");
        try (Browser b = Browser.open()) {
            b.driver.get(page.toUri().toString());
            assertThat(Axe.run(b)).extracting(Axe.Violation::rule).contains("label", "image-alt");
        }
    }
}
