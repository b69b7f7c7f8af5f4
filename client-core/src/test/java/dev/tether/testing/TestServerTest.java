/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the test server against plain JDK client sockets. */
class TestServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void echoWritesBackWhatItReadsAndRecordsLines() throws IOException {
        try (TestServer server = TestServer.start(ServerBehavior.echo());
                Socket client = connect(server)) {
            client.getOutputStream().write("hello\r\nworld\n".getBytes(StandardCharsets.UTF_8));

            assertEquals("hello\r\nworld\n", readExactly(client, 13));
            assertEquals(List.of("hello", "world"), server.awaitReceivedLines(2, TIMEOUT));
            assertArrayEquals("hello\r\nworld\n".getBytes(StandardCharsets.UTF_8), server.receivedBytes());
        }
    }

    @Test
    void acceptedCountCountsEveryConnection() throws IOException {
        try (TestServer server = TestServer.start(ServerBehavior.readLines());
                Socket first = connect(server);
                Socket second = connect(server)) {
            Await.until(() -> server.acceptedCount() == 2, TIMEOUT, "two accepted connections");
        }
    }

    @Test
    void resetConnectionMakesTheClientReadFail() throws IOException {
        try (TestServer server = TestServer.start(ServerBehavior.resetConnection())) {
            // the reset can come before connect() returns, on a busy machine: either way the client sees it
            SocketException e = assertThrows(SocketException.class, () -> {
                try (Socket client = connect(server)) {
                    client.getInputStream().read();
                }
            });
            assertTrue(e.getMessage().contains("Connection reset"), e.getMessage());
        }
    }

    @Test
    void greetThenCloseSendsTheGreetingThenEof() throws IOException {
        try (TestServer server = TestServer.start(ServerBehavior.greetThenClose(bytes("HELLO\n")));
                Socket client = connect(server)) {
            assertEquals("HELLO\n", readExactly(client, 6));
            assertEquals(-1, client.getInputStream().read());
        }
    }

    @Test
    void sendToAllAndCloseClientsReachEveryConnection() throws IOException {
        try (TestServer server = TestServer.start(ServerBehavior.stall());
                Socket first = connect(server);
                Socket second = connect(server)) {
            Await.until(() -> server.acceptedCount() == 2, TIMEOUT, "two accepted connections");

            server.sendToAll(bytes("PING\n"));
            assertEquals("PING\n", readExactly(first, 5));
            assertEquals("PING\n", readExactly(second, 5));

            server.closeClients();
            assertEquals(-1, first.getInputStream().read());
            assertEquals(-1, second.getInputStream().read());
        }
    }

    @Test
    void closeLeavesNoServerThreadAlive() throws IOException {
        TestServer server = TestServer.start(ServerBehavior.stall());
        String prefix = "test-server-" + server.port();
        try (Socket client = connect(server)) {
            Await.until(() -> server.acceptedCount() == 1, TIMEOUT, "one accepted connection");
            assertEquals(List.of(prefix, prefix + "-conn-1"), threadsNamed(prefix));
            server.close();
        }
        Await.until(() -> threadsNamed(prefix).isEmpty(), TIMEOUT, "no " + prefix + " thread alive");
    }

    private static Socket connect(TestServer server) throws IOException {
        Socket socket = new Socket();
        // a missing reply fails fast, not at the JUnit timeout; set before connecting, because once a server has
        // reset the connection, setting a socket option fails too
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        socket.connect(server.address(), (int) TIMEOUT.toMillis());
        return socket;
    }

    private static String readExactly(Socket socket, int length) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .sorted()
                .toList();
    }
}
