package org.likeness.web;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class WebPagesTest {
    static final List<String> PAGES = List.of("login", "dashboard", "subjects", "subject", "collections", "audits", "traces", "log",
            "admin", "portal", "invite");
    static final Locale ZH = Locale.forLanguageTag("zh-Hant");

    @Test
    void everyPageRendersInBothLanguagesWithNoPlaceholderLeftAndNothingACspWouldBlock() {
        WebPages pages = new WebPages();
        for (String name : PAGES) {
            for (Locale l : WebPages.LANGUAGES) {
                String html = pages.page(name, l);
                assertThat(html).as(name).isNotNull().doesNotContain("{{").startsWith("<!DOCTYPE html>")
                        .contains("<html lang=\"" + l.toLanguageTag() + "\">")
                        .contains("<meta name=\"viewport\"");
                // CSP script-src 'self' without 'unsafe-inline': only external scripts, no handler or style attributes
                assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)", Pattern.CASE_INSENSITIVE).matcher(html).find()).as(name).isFalse();
                assertThat(Pattern.compile("\\son[a-z]+=|\\sstyle=|<style|javascript:", Pattern.CASE_INSENSITIVE).matcher(html).find())
                        .as(name).isFalse();
                assertThat(html).as(name + ": nothing from another origin").doesNotContain("http://").doesNotContain("https://");
            }
        }
    }

    @Test
    void unknownPagesAndNamesThatCouldEscapeTheFolderAreNotPages() {
        WebPages pages = new WebPages();
        assertThat(pages.page("nope", Locale.ENGLISH)).isNull();
        assertThat(pages.page("../messages", Locale.ENGLISH)).isNull();
        assertThat(pages.page("_nav", Locale.ENGLISH)).isNull();
    }

    @Test
    void thePortalIsTranslatedIntoTraditionalChineseAndTheConsoleFallsBackToEnglish() throws Exception {
        Map<String, String> en = WebPages.messages(Locale.ENGLISH);
        Map<String, String> zh = WebPages.messages(ZH);
        assertThat(zh.keySet()).containsExactlyInAnyOrderElementsOf(en.keySet());
        java.util.Properties own = new java.util.Properties();
        try (var in = WebPages.class.getResourceAsStream("/web/messages_zh_Hant.properties")) {
            own.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        for (String k : en.keySet()) {
            if (k.startsWith("portal.") || k.startsWith("invite.") || k.startsWith("login.") || k.startsWith("state.")) {
                assertThat(own).as("zh-Hant translation of " + k).containsKey(k);
            }
        }
        assertThat(new WebPages().page("portal", ZH)).contains("您的臉部資料").contains("刪除我的資料");
        assertThat(zh.get("nav.subjects")).isEqualTo("Subjects");
    }

    @Test
    void theLanguageIsTheReadersChoiceThenTheBrowsersThenEnglish() {
        assertThat(WebPages.language("zh-Hant", "en")).isEqualTo(ZH);
        assertThat(WebPages.language(null, "zh-TW,zh;q=0.9,en;q=0.8")).isEqualTo(ZH);
        assertThat(WebPages.language(null, "fr-FR,en;q=0.5")).isEqualTo(Locale.ENGLISH);
        assertThat(WebPages.language("xx", "de")).isEqualTo(Locale.ENGLISH);
        assertThat(WebPages.language(null, ";;;garbage")).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void messagesForThePageScriptAreJsonThatCannotCloseAScriptElement() throws Exception {
        String json = WebPages.messagesJson(ZH);
        Map<?, ?> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class);
        assertThat(m.get("portal.title")).isEqualTo("您的臉部資料");
        assertThat(json).doesNotContain("<");
    }
}
