/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void runsOneScriptPerConnectionInOrderThenTheDefault() throws Exception {
        List<Script> first = List.of(
                Script.create().send("one\n").close(),
                Script.create().send("two\n").close());
        try (ScriptedServer server =
                ScriptedServer.start(first, Script.create().send("rest\n").close())) {
            for (String expected : List.of("one", "two", "rest", "rest")) {
                try (Client client = Client.connect(server.address())) {
                    assertEquals(expected, client.readLine());
                }
            }
            assertEquals(4, server.awaitConnections(4, TIMEOUT).size());
            assertEquals(4, server.acceptedCount());
        }
    }

    @Test
    void bindsLoopbackOnAFreePort() {
        try (ScriptedServer server = ScriptedServer.start(Script.create())) {
            assertEquals("127.0.0.1", server.address().getAddress().getHostAddress());
            assertTrue(server.port() > 0);
            assertEquals(server.port(), server.address().getPort());
            assertTrue(server.isUp());
        }
    }

    @Test
    void recordsBytesAndLinesWithTimestampsPerConnection() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create())) {
            Instant before = Instant.now();
            try (Client a = Client.connect(server.address());
                    Client b = Client.connect(server.address())) {
                server.awaitConnections(2, TIMEOUT);
                a.send("a1\r\na2\npart");
                b.send("b1\n");
                assertEquals(List.of("a1", "a2"), server.awaitLines(0, 2, TIMEOUT));
                assertEquals(List.of("b1"), server.awaitLines(1, 1, TIMEOUT));
            }
            Instant after = Instant.now();
            ServerConnection a = server.connection(0);
            Await.value(a::receivedBytes, bytes -> bytes.length == 11, TIMEOUT, "all of a's bytes");
            assertArrayEquals("a1\r\na2\npart".getBytes(StandardCharsets.US_ASCII), a.receivedBytes());
            assertEquals(List.of("a1", "a2"), a.receivedLines(), "an unfinished line is not a line");
            ServerConnection.Line first = a.lines().get(0);
            assertFalse(first.receivedAt().isBefore(before));
            assertFalse(first.receivedAt().isAfter(after));
            assertFalse(a.acceptedAt().isAfter(first.receivedAt()));
            assertFalse(a.chunks().isEmpty());
            assertFalse(a.chunks().get(0).receivedAt().isBefore(a.acceptedAt()));
            assertEquals(0, a.index());
            assertEquals(1, server.connection(1).index());
            assertEquals("127.0.0.1", a.remoteAddress().getAddress().getHostAddress());
        }
    }

    @Test
    void connectionOutOfRangeSaysHowManyWereAccepted() {
        try (ScriptedServer server = ScriptedServer.start(Script.create())) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> server.connection(0));
            assertEquals(
                    "no connection #0 on scripted-server-" + server.port() + ": 0 accepted so far", e.getMessage());
        }
    }

    @Test
    void awaitTimesOutWithTheDescription() {
        try (ScriptedServer server = ScriptedServer.start(Script.create())) {
            AssertionError e =
                    assertThrows(AssertionError.class, () -> server.awaitConnections(1, Duration.ofMillis(50)));
            assertTrue(
                    e.getMessage().startsWith("timed out after PT0.05S waiting for: 1 connection(s)"), e.getMessage());
            assertThrows(AssertionError.class, () -> server.awaitLines(0, 1, Duration.ofMillis(50)));
        }
    }

    @Test
    void downRefusesConnectsAndUpAcceptsAgainOnTheSamePort() throws Exception {
        try (ScriptedServer server =
                ScriptedServer.start(Script.create().send("hi\n").close())) {
            int port = server.port();
            try (Client client = Client.connect(server.address())) {
                server.awaitConnections(1, TIMEOUT); // else down() resets it in the backlog
                server.down();
                assertFalse(server.isUp());
                assertEquals("hi", client.readLine(), "open connections carry on");
            }
            assertThrows(
                    ConnectException.class,
                    () -> Client.connect(server.address()).close());
            server.down(); // idempotent
            server.up();
            assertTrue(server.isUp());
            assertEquals(port, server.port());
            try (Client client = Client.connect(server.address())) {
                assertEquals("hi", client.readLine());
            }
            assertEquals(2, server.acceptedCount(), "refused connects are not accepted");
        }
    }

    @Test
    void resetNextResetsConnectionsWithoutUsingUpScripts() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                List.of(Script.create().send("first script\n").close()),
                Script.create().close())) {
            server.resetNext(2);
            for (int i = 0; i < 2; i++) {
                assertThrows(SocketException.class, () -> connectAndRead(server));
            }
            try (Client client = Client.connect(server.address())) {
                assertEquals("first script", client.readLine());
            }
            assertEquals(3, server.acceptedCount());
            assertThrows(IllegalArgumentException.class, () -> server.resetNext(-1));
        }
    }

    @Test
    void keepsTheRecordsButNotTheRunsOfEndedConnections() throws Exception {
        try (ScriptedServer server =
                ScriptedServer.start(Script.create().send("bye\n").close())) {
            for (int i = 0; i < 50; i++) {
                try (Client client = Client.connect(server.address())) {
                    assertEquals("bye", client.readLine());
                }
                int index = i;
                Await.until(() -> server.connection(index).closedAt().isPresent(), Client.TIMEOUT, "close #" + i);
            }
            try (Client last = Client.connect(server.address())) {
                assertEquals("bye", last.readLine());
                // the accept thread, and the last connection's run and thread; at most a straggler or two besides
                assertTrue(server.held() <= 5, "held " + server.held() + " after 51 connections");
            }
            assertEquals(51, server.connections().size()); // every record stays readable
        }
    }

    @Test
    void closeEndsEveryThreadAndIsIdempotent() throws Exception {
        ScriptedServer server = ScriptedServer.start(Script.create().drip("slow", Duration.ofSeconds(10)));
        String prefix = "scripted-server-" + server.port() + "-";
        try (Client client = Client.connect(server.address())) {
            assertEquals('s', client.read()); // the drip is under way, its next byte 10 s away
            server.close();
            server.close();
            assertEquals(List.of(), liveThreads(prefix));
            assertFalse(server.isUp());
            assertThrows(IllegalStateException.class, server::up);
            assertThrows(IllegalStateException.class, server::down);
            server.assertNoFailures(); // what the server's close() breaks is no failure
        }
    }

    /** A Ctrl-C hook or a cancelled test closes from an interrupted thread: close still waits, the flag survives. */
    @Test
    void closeOnAnInterruptedThreadStillEndsEveryThreadAndKeepsTheInterrupt() throws Exception {
        ScriptedServer server = ScriptedServer.start(Script.create().drip("slow", Duration.ofSeconds(10)));
        String prefix = "scripted-server-" + server.port() + "-";
        try (Client client = Client.connect(server.address())) {
            assertEquals('s', client.read());
            Thread.currentThread().interrupt();
            try {
                server.close();
                assertTrue(Thread.currentThread().isInterrupted(), "the caller is still interrupted");
            } finally {
                Thread.interrupted();
            }
            assertEquals(List.of(), liveThreads(prefix));
        }
    }

    /** Connects and reads; a reset may already fail the connect, when it beats the client thread to the socket. */
    static int connectAndRead(ScriptedServer server) throws IOException {
        try (Client client = Client.connect(server.address())) {
            return client.read();
        }
    }

    private static List<String> liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .toList();
    }
}
