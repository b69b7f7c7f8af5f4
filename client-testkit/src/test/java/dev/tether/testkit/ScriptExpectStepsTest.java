/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScriptExpectStepsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void expectLineAcceptsTheLineWithOrWithoutCarriageReturn() throws Exception {
        Script script = Script.create()
                .expectLine("SUBSCRIBE prices")
                .expectLine("PING")
                .send("OK\n");
        try (ScriptedServer server = ScriptedServer.start(script);
                Client client = Client.connect(server.address())) {
            client.send("SUBSCRIBE prices\nPING\r\n");
            assertEquals("OK", client.readLine()); // sent only after both expectations passed
            server.assertNoFailures();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void expectFrameAcceptsTheFrame(int prefixBytes) throws Exception {
        Script script = Script.create().expectFrame(prefixBytes, "hello").send("OK\n");
        try (ScriptedServer server = ScriptedServer.start(script);
                Client client = Client.connect(server.address())) {
            client.send(Frames.encode(prefixBytes, "hello".getBytes(StandardCharsets.UTF_8)));
            assertEquals("OK", client.readLine());
            server.assertNoFailures();
        }
    }

    @Test
    void waitForLineSkipsLinesUntilOneMatches() throws Exception {
        Script script = Script.create()
                .waitForLine("a SUBSCRIBE line", l -> l.startsWith("SUBSCRIBE"))
                .send("OK\n");
        try (ScriptedServer server = ScriptedServer.start(script);
                Client client = Client.connect(server.address())) {
            client.send("PING\nPING\nSUBSCRIBE x\n");
            assertEquals("OK", client.readLine());
            assertEquals(
                    List.of("PING", "PING", "SUBSCRIBE x"), server.connection(0).receivedLines());
            server.assertNoFailures();
        }
    }

    @Test
    void waitForFrameSkipsFramesUntilOneMatches() throws Exception {
        Script script = Script.create()
                .waitForFrame(2, "a 3-byte frame", p -> p.length == 3)
                .send("OK\n");
        try (ScriptedServer server = ScriptedServer.start(script);
                Client client = Client.connect(server.address())) {
            client.send(Frames.encode(2, new byte[] {1}));
            client.send(Frames.encode(2, new byte[] {1, 2, 3}));
            assertEquals("OK", client.readLine());
            server.assertNoFailures();
        }
    }

    @Test
    void expectLineMismatchShowsTheDiffAndClosesTheConnection() throws Exception {
        Script script =
                Script.create().send("HELLO\n").expectLine("SUBSCRIBE prices").send("never\n");
        try (ScriptedServer server = ScriptedServer.start(script);
                Client client = Client.connect(server.address())) {
            assertEquals("HELLO", client.readLine());
            client.send("SUBSCRIBE Prices\n");
            assertNull(client.readLine(), "the server closes after a failure");
            String failure = awaitOneFailure(server);
            assertEquals(
                    "connection #0, step #1 expectLine(\"SUBSCRIBE prices\"): line differs at index 10\n"
                            + "  expected: \"SUBSCRIBE prices\"\n"
                            + "  actual:   \"SUBSCRIBE Prices\"\n"
                            + "                       ^",
                    failure);
            AssertionError error = assertThrows(AssertionError.class, server::assertNoFailures);
            assertTrue(error.getMessage().contains(failure), error.getMessage());
        }
    }

    @Test
    void expectFrameMismatchShowsBothFramesInHexAndText() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().expectFrame(1, "help"));
                Client client = Client.connect(server.address())) {
            client.send(Frames.encode(1, "hell!".getBytes(StandardCharsets.UTF_8)));
            assertEquals(
                    "connection #0, step #0 expectFrame(1, 4 bytes [68 65 6c 70] \"help\"): frame length differs:"
                            + " expected 4 bytes, was 5\n"
                            + "  expected: 4 bytes [68 65 6c 70] \"help\"\n"
                            + "  actual:   5 bytes [68 65 6c 6c 21] \"hell!\"",
                    awaitOneFailure(server));
        }
    }

    @Test
    void expectFrameMismatchOfSameLengthNamesTheByte() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().expectFrame(4, "help"));
                Client client = Client.connect(server.address())) {
            client.send(Frames.encode(4, "hell".getBytes(StandardCharsets.UTF_8)));
            String failure = awaitOneFailure(server);
            assertTrue(failure.contains("frame differs at byte 3\n"), failure);
            assertTrue(failure.contains("actual:   4 bytes [68 65 6c 6c] \"hell\""), failure);
        }
    }

    @Test
    void expectLineFailsWhenTheClientClosesFirst() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().expectLine("SUBSCRIBE prices"));
                Client client = Client.connect(server.address())) {
            client.send("SUBSCR");
            client.shutdownOutput();
            assertEquals(
                    "connection #0, step #0 expectLine(\"SUBSCRIBE prices\"): the client closed the connection before"
                            + " sending the expected line \"SUBSCRIBE prices\"; an unfinished line arrived:"
                            + " 6 bytes [53 55 42 53 43 52] \"SUBSCR\"",
                    awaitOneFailure(server));
        }
    }

    @Test
    void expectFrameFailsWhenTheClientClosesMidFrame() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().expectFrame(2, "hello"));
                Client client = Client.connect(server.address())) {
            client.send(new byte[] {0, 5, 'h', 'e'});
            client.shutdownOutput();
            String failure = awaitOneFailure(server);
            assertTrue(failure.startsWith("connection #0, step #0 expectFrame(2, "), failure);
            assertTrue(
                    failure.contains("the client closed the connection after 2 of the frame's 5 payload bytes"),
                    failure);
        }
    }

    @Test
    void waitForLineFailsWhenTheClientClosesFirstAndListsSkippedLines() throws Exception {
        Script script = Script.create().waitForLine("a SUBSCRIBE line", l -> l.startsWith("SUBSCRIBE"));
        try (ScriptedServer server = ScriptedServer.start(script);
                Client client = Client.connect(server.address())) {
            client.send("PING\n");
            client.shutdownOutput();
            assertEquals(
                    "connection #0, step #0 waitForLine(a SUBSCRIBE line): the client closed the connection before"
                            + " sending a line matching a SUBSCRIBE line; skipped 1 (last 1: \"PING\")",
                    awaitOneFailure(server));
        }
    }

    @Test
    void waitForFrameFailsWhenTheClientClosesFirst() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().waitForFrame(1, "a big frame", p -> false));
                Client client = Client.connect(server.address())) {
            client.send(Frames.encode(1, new byte[] {7}));
            client.shutdownOutput();
            String failure = awaitOneFailure(server);
            assertTrue(
                    failure.startsWith("connection #0, step #0 waitForFrame(1, a big frame): the client closed"),
                    failure);
            assertTrue(failure.contains("skipped 1 (last 1: 1 bytes [07]"), failure);
        }
    }

    @Test
    void failuresOnSeveralConnectionsAreAllListed() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().expectLine("A"))) {
            for (String line : List.of("B\n", "C\n")) {
                try (Client client = Client.connect(server.address())) {
                    client.send(line);
                    assertNull(client.readLine());
                }
            }
            AssertionError error = assertThrows(AssertionError.class, server::assertNoFailures);
            assertTrue(
                    error.getMessage().startsWith("2 failure(s) on scripted-server-" + server.port()),
                    error.getMessage());
            assertTrue(error.getMessage().contains("connection #0, step #0"), error.getMessage());
            assertTrue(error.getMessage().contains("connection #1, step #0"), error.getMessage());
        }
    }

    private static String awaitOneFailure(ScriptedServer server) {
        return Await.value(server::failures, f -> !f.isEmpty(), TIMEOUT, "a failure")
                .get(0);
    }
}
