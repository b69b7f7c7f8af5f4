/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/** A stream of numbered lines, {@code line 0}, {@code line 1}, ...: easy to check for order, loss and garbage. */
public final class NumberedLines {
    private NumberedLines() {}

    /** Returns {@code count} lines, each ended by LF, in UTF-8: what a server sends. */
    public static byte[] bytes(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append("line ").append(i).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the {@code count} lines without their LF: what a client should receive. */
    public static List<String> expected(int count) {
        return IntStream.range(0, count).mapToObj(i -> "line " + i).toList();
    }
}
