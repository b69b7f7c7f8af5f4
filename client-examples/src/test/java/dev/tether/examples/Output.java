/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A print stream that keeps what is printed to it, for any thread to read. */
final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(); // synchronized
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Returns a writer onto the same text, flushed at every line, for code that reports on a writer. */
    PrintWriter writer() {
        return new PrintWriter(stream, true);
    }

    /** Returns the stream to hand to the code under test. */
    PrintStream stream() {
        return stream;
    }

    /** Returns everything printed so far. */
    String text() {
        stream.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Returns the lines printed so far, without their line separators. */
    List<String> lines() {
        return text().lines().toList();
    }
}
