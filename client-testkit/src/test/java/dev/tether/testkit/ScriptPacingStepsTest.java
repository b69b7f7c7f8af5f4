/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The steps that take time or run beside the others: every, pause, replying and echoing; and scripts chosen per connection. */
class ScriptPacingStepsTest {
    private static final Function<String, Optional<String>> ACK =
            line -> line.equals("PING") ? Optional.empty() : Optional.of("ack " + line);

    @Test
    void everyWritesOneNumberedLineEachInterval() throws Exception {
        Duration interval = Duration.ofMillis(20);
        try (ScriptedServer server = ScriptedServer.start(
                Script.create().every(interval, 3, i -> "tick " + i).close())) {
            long start = System.nanoTime();
            try (Client client = Client.connect(server.address())) {
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = client.readLine()) != null) {
                    lines.add(line);
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                assertEquals(List.of("tick 0", "tick 1", "tick 2"), lines);
                // the first line waits one interval too: a lower bound, not a race
                assertTrue(elapsed.compareTo(interval.multipliedBy(3)) >= 0, "every took only " + elapsed);
            }
            server.assertNoFailures();
        }
    }

    @Test
    void pauseWaitsBeforeTheNextStep() throws Exception {
        Duration pause = Duration.ofMillis(30);
        try (ScriptedServer server =
                ScriptedServer.start(Script.create().pause(pause).send("x\n").close())) {
            long start = System.nanoTime();
            try (Client client = Client.connect(server.address())) {
                assertEquals("x", client.readLine());
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                assertTrue(elapsed.compareTo(pause) >= 0, "pause took only " + elapsed);
            }
        }
    }

    @Test
    void theServersCloseEndsAWait() throws Exception {
        ScriptedServer server = ScriptedServer.start(
                Script.create().pause(Duration.ofHours(1)).every(Duration.ofHours(1), 5, i -> "never"));
        try (Client client = Client.connect(server.address())) {
            server.awaitConnections(1, Client.TIMEOUT);
            long start = System.nanoTime();
            server.close(); // fails if the connection's thread is still waiting 5 s later
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
            assertNull(client.readLine());
            server.assertNoFailures();
        }
    }

    @Test
    void replyingAnswersEachLineWhileLaterStepsRun() throws Exception {
        // the tick is an hour away: the answer can only come from the replying thread
        Script script = Script.create()
                .replying(ACK)
                .every(Duration.ofHours(1), 1, i -> "tick")
                .close();
        try (ScriptedServer server = ScriptedServer.start(script);
                Client client = Client.connect(server.address())) {
            client.send("PING\nLOGIN alice\nLOGIN bob\n");

            assertEquals("ack LOGIN alice", client.readLine());
            assertEquals("ack LOGIN bob", client.readLine());
            assertEquals(List.of("PING", "LOGIN alice", "LOGIN bob"), server.awaitLines(0, 3, Client.TIMEOUT));
            server.assertNoFailures();
        }
    }

    @Test
    void replyingGoesQuietOnceTheOutputIsShutAndCloseWaitsForTheClient() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                        Script.create().replying(ACK).halfClose().close());
                Client client = Client.connect(server.address())) {
            assertNull(client.readLine());
            client.send("late\n");
            server.awaitLines(0, 1, Client.TIMEOUT);
            client.shutdownOutput();

            // close() ends the connection only once the replying thread has read the client's end of stream
            Await.value(() -> server.connection(0).closedAt(), Optional::isPresent, Client.TIMEOUT, "the close");
            assertTrue(server.connection(0).receivedEndOfStream());
            assertEquals(List.of("late"), server.connection(0).receivedLines());
            server.assertNoFailures();
        }
    }

    @Test
    void aReplyFunctionThatThrowsIsRecordedAsAFailure() throws Exception {
        Script script = Script.create().replying(line -> {
            throw new IllegalStateException("no answer for " + line);
        });
        try (ScriptedServer server = ScriptedServer.start(script);
                Client client = Client.connect(server.address())) {
            client.send("hello\n");

            assertNull(client.readLine());
            List<String> failures = Await.value(server::failures, f -> !f.isEmpty(), Client.TIMEOUT, "a failure");
            assertEquals(
                    List.of("connection #0, replying(): the reply function threw "
                            + "java.lang.IllegalStateException: no answer for hello"),
                    failures);
        }
    }

    @Test
    void echoingWritesBackEveryByteAsItArrives() throws Exception {
        byte[] binary = {0, 1, (byte) 0xff, '\n', (byte) 0x80};
        try (ScriptedServer server = ScriptedServer.start(Script.create().echoing());
                Client client = Client.connect(server.address())) {
            client.send(binary);
            assertArrayEquals(binary, client.readBytes(binary.length)); // no line end needed
            client.send("more");
            assertEquals("more", new String(client.readBytes(4), StandardCharsets.UTF_8));
            client.shutdownOutput();

            assertEquals(-1, client.read()); // the script ends as stall() does: once the client closes
            Await.value(() -> server.connection(0).closedAt(), Optional::isPresent, Client.TIMEOUT, "the close");
            assertEquals(9, server.connection(0).receivedBytes().length);
            assertTrue(server.connection(0).receivedEndOfStream());
            server.assertNoFailures();
        }
    }

    @Test
    void echoingGoesQuietOnceTheOutputIsShut() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                        Script.create().echoing().halfClose().close());
                Client client = Client.connect(server.address())) {
            assertEquals(-1, client.read());
            client.send("late\n");
            client.shutdownOutput();

            Await.value(() -> server.connection(0).closedAt(), Optional::isPresent, Client.TIMEOUT, "the close");
            assertEquals(List.of("late"), server.connection(0).receivedLines());
            server.assertNoFailures();
        }
    }

    @Test
    void nothingReadsBesideTheReplyingThread() {
        Script replying = Script.create().replying(ACK);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> replying.expectLine("x"));
        assertEquals(
                "expectLine(\"x\") cannot follow replying(): the replying or echoing thread reads what the client sends"
                        + " (script so far: [replying()])",
                e.getMessage());
        assertThrows(IllegalStateException.class, replying::stopReading);
        assertThrows(IllegalStateException.class, () -> replying.replying(ACK));
        assertThrows(IllegalStateException.class, replying::echoing);
        assertThrows(
                IllegalStateException.class, () -> Script.create().echoing().expectLine("x"));
        assertThrows(
                IllegalStateException.class, () -> Script.create().stopReading().replying(ACK));
    }

    @Test
    void badArgumentsAreRejected() {
        assertEquals(
                "every interval must be > 0, was PT0S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Script.create().every(Duration.ZERO, 1, i -> ""))
                        .getMessage());
        assertEquals(
                "every times must be >= 0, was -1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Script.create().every(Duration.ofMillis(1), -1, i -> ""))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Script.create().pause(Duration.ofMillis(-1)));
    }

    @Test
    void perConnectionChoosesEachScriptAtAcceptInAcceptOrder() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                0,
                connection -> Script.create()
                        .send("you are #" + connection.index() + " from "
                                + connection.remoteAddress().getPort() + "\n")
                        .close())) {
            for (int i = 0; i < 2; i++) {
                try (Client client = Client.connect(server.address())) {
                    int port = client.socket().getLocalPort();
                    assertEquals("you are #" + i + " from " + port, client.readLine());
                }
            }
            server.assertNoFailures();
        }
    }

    @Test
    void aFailingChoiceIsRecordedAndTheConnectionReset() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(0, connection -> null);
                Client client = Client.connect(server.address())) {
            assertThrows(SocketException.class, client::readLine);
            assertEquals(
                    List.of("connection #0: perConnection failed: java.lang.NullPointerException:"
                            + " perConnection returned null"),
                    server.failures());
        }
    }

    @Test
    void perConnectionListensOnTheGivenPort() throws Exception {
        int port;
        try (ScriptedServer first = ScriptedServer.start(Script.create().close())) {
            port = first.port();
        }
        try (ScriptedServer server = ScriptedServer.start(
                        port, connection -> Script.create().sendLines("again").close());
                Client client = Client.connect(server.address())) {
            assertEquals(port, server.port());
            assertEquals("again", client.readLine());
        }
    }
}
