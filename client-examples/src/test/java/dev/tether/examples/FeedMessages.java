/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import java.util.List;
import java.util.stream.LongStream;

/** What {@link dev.tether.examples.server.FeedServer} should send, worked out independently of its code. */
final class FeedMessages {
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz".repeat(10);

    private FeedMessages() {}

    /** Returns messages 1 to {@code count} of {@code size} bytes each (for sizes up to 200). */
    static List<String> expected(long count, int size) {
        return LongStream.rangeClosed(1, count)
                .mapToObj(n -> (n + " " + LETTERS).substring(0, size))
                .toList();
    }
}
