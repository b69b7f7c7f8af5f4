/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.examples.Commands.Result;
import dev.tether.examples.server.FeedServer;
import dev.tether.examples.server.WireFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TailExampleIT {
    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void printsExactlyTheMessagesOfItsEmbeddedFeed(WireFormat format) throws Exception {
        Output out = new Output();

        int exitCode = Commands.parse(
                        new TailExample(), "--framing", format.name().toLowerCase(Locale.ROOT))
                .run(out.stream(), new Output().writer());

        assertEquals(0, exitCode);
        assertEquals(FeedMessages.expected(10, 40), out.lines());
        assertEquals("1 abcdefghijklmnopqrstuvwxyzabcdefghijkl", out.lines().get(0));
    }

    @Test
    void tailsTheServerAtTheGivenPort() throws Exception {
        try (FeedServer server = new FeedServer(1000, 16, WireFormat.LINES)) {
            server.start(0);
            Output out = new Output();

            int exitCode = Commands.parse(new TailExample(), "--port", "" + server.port())
                    .run(out.stream(), new Output().writer());

            assertEquals(0, exitCode);
            assertEquals(FeedMessages.expected(1000, 16), out.lines());
        }
    }

    @Test
    void lengthPrefixOverMaxFrameEndsWithExitOne() {
        Result result = Commands.execute("tail", "--framing", "lenpref", "--max-frame", "10");

        assertEquals(1, result.exitCode());
        assertTrue(result.err().startsWith("error: connection "), result.err());
        assertTrue(result.err().contains("over maxLength 10"), result.err());
    }
}
