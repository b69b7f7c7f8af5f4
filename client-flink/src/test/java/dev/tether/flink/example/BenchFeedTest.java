/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the lines the Flink benchmark's feed writes (issue 14). */
class BenchFeedTest {
    @Test
    void linesAreNumberedFromZeroAndHaveTheirExactLengthAcrossChunks() throws IOException {
        // 16-byte lines make chunks of 10,000 lines: 25,003 lines cross two chunk boundaries and end mid-chunk
        try (BenchFeed feed = BenchFeed.start(25_003, 16)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            feed.write(bytes);

            List<String> lines =
                    List.of(bytes.toString(StandardCharsets.US_ASCII).split("\n", -1));
            assertEquals(25_003 + 1, lines.size()); // the text ends with \n
            assertEquals("", lines.get(25_003));
            for (int i = 0; i < 25_003; i++) {
                assertEquals(String.format("%010d xxxx", i), lines.get(i));
            }
        }
    }

    @Test
    void longLinesStillNumberEveryLine() throws IOException {
        try (BenchFeed feed = BenchFeed.start(123, 65_536)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            feed.write(bytes);

            assertEquals(123L * 65_536, bytes.size());
            String text = bytes.toString(StandardCharsets.US_ASCII);
            assertEquals("0000000122 x", text.substring(122 * 65_536, 122 * 65_536 + 12));
            assertEquals('\n', text.charAt(text.length() - 1));
        }
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> BenchFeed.start(-1, 64));
        assertThrows(IllegalArgumentException.class, () -> BenchFeed.start(1, BenchFeed.MIN_LINE_BYTES - 1));
        assertThrows(IllegalArgumentException.class, () -> BenchFeed.start(1, BenchFeed.MAX_LINE_BYTES + 1));
    }
}
