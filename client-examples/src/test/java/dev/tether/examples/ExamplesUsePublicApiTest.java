/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when an example names {@code dev.tether.internal}, in an import or a qualified name: the examples are what
 * users copy, so they may use only the public packages.
 */
class ExamplesUsePublicApiTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern INTERNAL = Pattern.compile("\\bdev\\.tether\\.internal\\b");

    @Test
    void examplesNameNoInternalPackage() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no Java sources under " + SOURCES.toAbsolutePath());

        List<String> offences = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (INTERNAL.matcher(lines.get(i)).find()) {
                    offences.add(SOURCES.relativize(file) + ":" + (i + 1) + ": "
                            + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), offences, "examples may use only dev.tether and dev.tether.codec");
    }
}
