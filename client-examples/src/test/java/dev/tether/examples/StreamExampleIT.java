/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.examples.server.FeedServer;
import dev.tether.examples.server.WireFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamExampleIT {
    @Test
    void countsEveryMessageOfItsEmbeddedFeed() throws Exception {
        Output out = new Output();
        Output progress = new Output();

        int exitCode = Commands.parse(new StreamExample(), "--messages", "100000", "--size", "64")
                .run(out.stream(), progress.stream());

        assertEquals(0, exitCode);
        List<String> summary = out.lines();
        assertEquals(2, summary.size(), out.text());
        assertTrue(
                summary.get(0)
                        .matches("received 100000 messages \\(64 B each\\) in [0-9.]+ s: [0-9,]+ msg/s, [0-9.]+ MiB/s"),
                summary.get(0));
        // 65 bytes a message: 64 and the LF
        assertEquals(
                "summary: 100000 messages in (6500000 bytes), 0 out; 0 frames dropped; 1 connect, 0 reconnects, "
                        + "0 failed connects; disconnects: peer_closed 1",
                summary.get(1));
    }

    @Test
    void withPullItTakesEveryMessageFromTheInbox() throws Exception {
        Output out = new Output();
        Output progress = new Output();

        int exitCode = Commands.parse(new StreamExample(), "--messages", "200000", "--size", "64", "--pull")
                .run(out.stream(), progress.stream());

        assertEquals(0, exitCode);
        assertEquals(
                "summary: 200000 messages in (13000000 bytes), 0 out; 0 frames dropped; 1 connect, 0 reconnects, "
                        + "0 failed connects; disconnects: peer_closed 1",
                out.lines().get(1));
    }

    @Test
    void countsWhatAServerAtTheGivenPortSends() throws Exception {
        try (FeedServer server = new FeedServer(5, 8, WireFormat.LINES)) {
            server.start(0);
            Output out = new Output();

            // --messages is the embedded server's; a server of the user's sends what it sends
            int exitCode = Commands.parse(new StreamExample(), "--port", "" + server.port(), "--messages", "7")
                    .run(out.stream(), new Output().stream());

            assertEquals(0, exitCode);
            assertTrue(out.text().startsWith("received 5 messages (8 B each) in "), out.text());
        }
    }
}
