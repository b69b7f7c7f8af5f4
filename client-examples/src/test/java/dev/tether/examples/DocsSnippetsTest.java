/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when code shown in the README or docs/ drifts from the example sources it is cut from.
 *
 * <p>A page marks a snippet with {@code <!-- snippet: HelloExample.java#connect -->} on the line before a
 * {@code ```java} block; the source (an example, or a test of the examples: docs/testing.md shows tests) marks the
 * region with {@code // region connect} and {@code // endregion}. Run
 * with {@code -Ddocs.update=true} to rewrite the pages from the sources.
 */
class DocsSnippetsTest {
    private static final Pattern SNIPPET =
            Pattern.compile("<!-- snippet: ([\\w.]+)#([\\w-]+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<Path> SOURCES = List.of(
            ROOT.resolve("client-examples/src/main/java"),
            ROOT.resolve("client-examples/src/test/java"),
            ROOT.resolve("client-flink/src/main/java/dev/tether/flink/example"));

    @Test
    void everySnippetMatchesItsSourceRegion() throws IOException {
        boolean update = Boolean.getBoolean("docs.update");
        List<String> drift = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            String text = Files.readString(page, StandardCharsets.UTF_8);
            Matcher m = SNIPPET.matcher(text);
            StringBuilder rewritten = new StringBuilder();
            while (m.find()) {
                checked++;
                String expected = region(m.group(1), m.group(2));
                if (!expected.equals(m.group(3))) {
                    drift.add(ROOT.relativize(page) + ": " + m.group(1) + "#" + m.group(2));
                }
                String block = "<!-- snippet: " + m.group(1) + "#" + m.group(2) + " -->\n```java\n" + expected + "```";
                m.appendReplacement(rewritten, Matcher.quoteReplacement(block));
            }
            m.appendTail(rewritten);
            if (update) {
                Files.writeString(page, rewritten.toString(), StandardCharsets.UTF_8);
            }
        }
        assertFalse(checked == 0, "no snippet markers found under " + ROOT);
        if (!update) {
            assertEquals(List.of(), drift, "pages drifted from their sources; run with -Ddocs.update=true");
        }
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Returns the lines between {@code // region name} and {@code // endregion}, de-indented, each ending in LF. */
    static String region(String file, String name) throws IOException {
        Path source = null;
        for (Path root : SOURCES) {
            try (Stream<Path> files = Files.walk(root)) {
                source = files.filter(p -> p.getFileName().toString().equals(file))
                        .findFirst()
                        .orElse(source);
            }
        }
        if (source == null) {
            throw new AssertionError("no source file " + file + " under " + SOURCES);
        }
        List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("// region " + name)) {
                start = i + 1;
            } else if (start >= 0 && lines.get(i).strip().equals("// endregion")) {
                List<String> body = lines.subList(start, i);
                int indent = body.stream()
                        .filter(l -> !l.isBlank())
                        .mapToInt(l -> l.length() - l.stripLeading().length())
                        .min()
                        .orElse(0);
                StringBuilder out = new StringBuilder();
                for (String l : body) {
                    out.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
                }
                return out.toString();
            }
        }
        fail("no region '" + name + "' in " + source);
        return "";
    }
}
