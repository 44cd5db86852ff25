package org.likeness.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pages of the console and the portal: HTML templates in the jar ({@code web/pages/NAME.html}) whose
 * {@code {{key}}} placeholders are filled from one resource bundle ({@code web/messages*.properties}) in the
 * reader's language, and {@code {{>name}}} includes another template ({@code web/pages/_name.html}). The templates
 * hold no data and no inline script or style: the page script ({@code /web/static/app.js}) fetches the data from
 * {@code /api/v1} with the reader's session, so the pages show what the API allows and nothing is written twice.
 */
public final class WebPages {
    /** Languages with a bundle; the first is the fallback for every missing key. */
    public static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.forLanguageTag("zh-Hant"));
    static final String BUNDLE = "web.messages";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(>?)([A-Za-z0-9_.\\-]+)}}");
    /** Includes nest at most this deep (a template that includes itself is a build mistake, not a loop). */
    private static final int MAX_INCLUDE_DEPTH = 4;

    private final Map<String, String> cache = new ConcurrentHashMap<>();

    /** The page {@code name} in this language; null when there is no such page. */
    public String page(String name, Locale lang) {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            return null;
        }
        String key = name + "|" + lang.toLanguageTag();
        String cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        String raw = template(name);
        if (raw == null) {
            return null;
        }
        String html = fill(raw, messages(lang), 0).replace("{{lang}}", lang.toLanguageTag());
        cache.put(key, html);
        return html;
    }

    private String fill(String template, Map<String, String> messages, int depth) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 256);
        while (m.find()) {
            String replacement;
            if (m.group(1).equals(">")) {
                String inc = template("_" + m.group(2));
                if (inc == null || depth >= MAX_INCLUDE_DEPTH) {
                    throw new IllegalStateException("web page template _" + m.group(2) + ".html missing or nested too deep");
                }
                replacement = fill(inc, messages, depth + 1);
            } else if (m.group(2).equals("lang")) {
                replacement = "{{lang}}";
            } else {
                String text = messages.get(m.group(2));
                if (text == null) {
                    throw new IllegalStateException("web message " + m.group(2) + " missing from " + BUNDLE);
                }
                replacement = escape(text);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String template(String name) {
        try (InputStream in = WebPages.class.getResourceAsStream("/web/pages/" + name + ".html")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every message in this language, English where the translation lacks a key. */
    public static Map<String, String> messages(Locale lang) {
        Map<String, String> out = new TreeMap<>();
        for (Locale l : List.of(Locale.ENGLISH, lang)) {
            ResourceBundle b = bundle(l);
            if (b != null) {
                for (String k : b.keySet()) {
                    out.put(k, b.getString(k));
                }
            }
        }
        return out;
    }

    private static ResourceBundle bundle(Locale l) {
        try {
            return ResourceBundle.getBundle(BUNDLE, l.equals(Locale.ENGLISH) ? Locale.ROOT : l,
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        } catch (MissingResourceException e) {
            return null;
        }
    }

    /**
     * The reader's language: an explicit choice ({@code ?lang=} or the {@code lang} cookie) first, then the
     * browser's Accept-Language (zh-TW, zh-HK, zh-MO and zh-Hant read Traditional Chinese), else English.
     */
    public static Locale language(String chosen, String acceptLanguage) {
        Locale c = supported(chosen);
        if (c != null) {
            return c;
        }
        if (acceptLanguage != null) {
            try {
                List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage);
                for (Locale.LanguageRange r : ranges) {
                    Locale s = supported(r.getRange());
                    if (s != null) {
                        return s;
                    }
                }
            } catch (IllegalArgumentException malformed) {
                return Locale.ENGLISH;
            }
        }
        return Locale.ENGLISH;
    }

    static Locale supported(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        String t = tag.trim().toLowerCase(Locale.ROOT);
        if (t.equals("zh-hant") || t.startsWith("zh-hant-") || t.equals("zh-tw") || t.equals("zh-hk") || t.equals("zh-mo")) {
            return LANGUAGES.get(1);
        }
        if (t.equals("en") || t.startsWith("en-")) {
            return Locale.ENGLISH;
        }
        return null;
    }

    /** The messages as a JSON object, for the page script. */
    public static String messagesJson(Locale lang) {
        List<String> parts = new ArrayList<>();
        messages(lang).forEach((k, v) -> parts.add(jsonString(k) + ":" + jsonString(v)));
        return "{" + String.join(",", parts) + "}";
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '<' -> b.append("\\u003c");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
