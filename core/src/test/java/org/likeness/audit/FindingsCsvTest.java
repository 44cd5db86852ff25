package org.likeness.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * findings.csv is opened in terminals and spreadsheets: a dataset's file names must neither drive the terminal, break
 * a row, nor run as a spreadsheet formula (OWASP "CSV injection": a cell starting with = + - @ is prefixed with ').
 */
class FindingsCsvTest {
    @Test
    void hostileNamesAreInertCells() {
        assertThat(AuditFiles.csv("a/b.jpg")).isEqualTo("a/b.jpg");
        assertThat(AuditFiles.csv("esc\u001b[31m.jpg")).isEqualTo("esc\\u001b[31m.jpg");
        assertThat(AuditFiles.csv("cr\rrow.jpg")).isEqualTo("cr\\u000drow.jpg");
        assertThat(AuditFiles.csv("nl\nrow,2.jpg")).isEqualTo("\"nl\\u000arow,2.jpg\"");
        assertThat(AuditFiles.csv("rtl\u202egpj.exe")).isEqualTo("rtl\\u202egpj.exe");
        assertThat(AuditFiles.csv("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
        assertThat(AuditFiles.csv("+1.jpg")).isEqualTo("'+1.jpg");
        assertThat(AuditFiles.csv("@sum.jpg")).isEqualTo("'@sum.jpg");
        assertThat(AuditFiles.csv("-2.jpg")).isEqualTo("'-2.jpg");
    }

    @Test
    void reportHtmlShowsOverridesInsteadOfObeyingThem() {
        assertThat(ReportPage.esc("rtl\u202egpj.exe")).isEqualTo("rtl\\u202egpj.exe");
        assertThat(ReportPage.esc("<img src=x onerror=alert(1)>\"")).isEqualTo("&lt;img src=x onerror=alert(1)&gt;&quot;");
        assertThat(ReportPage.esc("esc\u001b[0m")).isEqualTo("esc\\u001b[0m");
    }
}
