/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptEndStepsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void stallSaysNothingAndClosesAfterTheClient() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().stall())) {
            try (Client client = Client.connect(server.address())) {
                client.send("anyone?\n");
                server.awaitLines(0, 1, TIMEOUT);
                assertEquals(0, client.socket().getInputStream().available());
                assertTrue(server.connection(0).closedAt().isEmpty());
            }
            awaitClosed(server, 0);
            assertTrue(server.connection(0).receivedEndOfStream());
        }
    }

    @Test
    void anEmptyScriptStallsToo() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().send("HI\n"))) {
            try (Client client = Client.connect(server.address())) {
                assertEquals("HI", client.readLine());
                client.send("x\n");
                server.awaitLines(0, 1, TIMEOUT);
                assertTrue(server.connection(0).closedAt().isEmpty());
            }
            awaitClosed(server, 0);
        }
    }

    @Test
    void stopReadingBacksUpTheClientsWritesButStillSends() throws Exception {
        try (ScriptedServer server =
                        ScriptedServer.start(Script.create().stopReading().send("late\n"));
                SocketChannel channel = SocketChannel.open(server.address())) {
            channel.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long written = 0;
            long limit = 256L * 1024 * 1024;
            while (written < limit) {
                chunk.clear();
                int n = channel.write(chunk);
                if (n == 0) {
                    break; // both socket buffers are full: nobody reads
                }
                written += n;
            }
            assertTrue(written < limit, "the client wrote " + written + " bytes without backing up");
            assertEquals(0, server.awaitConnections(1, TIMEOUT).get(0).receivedBytes().length);
            ByteBuffer late = ByteBuffer.allocate(5);
            channel.configureBlocking(true);
            channel.socket().setSoTimeout((int) TIMEOUT.toMillis());
            while (late.hasRemaining() && channel.read(late) >= 0) {
                // blocking reads until the five bytes are in
            }
            assertEquals("late\n", new String(late.array(), java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    @Test
    void stopReadingThenStallKeepsTheConnectionOpenUntilTheServerCloses() throws Exception {
        ScriptedServer server =
                ScriptedServer.start(Script.create().stopReading().stall());
        try (Client client = Client.connect(server.address())) {
            server.awaitConnections(1, TIMEOUT);
            client.shutdownOutput();
            assertTrue(server.connection(0).closedAt().isEmpty());
            server.close();
            assertEquals(-1, client.read());
            assertTrue(server.connection(0).closedAt().isPresent());
            assertFalse(server.connection(0).receivedEndOfStream(), "a server that stopped reading never sees it");
        }
    }

    @Test
    void halfCloseSendsEndOfStreamAndKeepsReading() throws Exception {
        Script script = Script.create().send("bye\n").halfClose().expectLine("last words");
        try (ScriptedServer server = ScriptedServer.start(script);
                Client client = Client.connect(server.address())) {
            assertEquals("bye", client.readLine());
            assertEquals(-1, client.read());
            client.send("last words\n");
            assertEquals(List.of("last words"), server.awaitLines(0, 1, TIMEOUT));
            server.assertNoFailures();
        }
    }

    @Test
    void closeEndsCleanlyAndReadsUntilTheClientCloses() throws Exception {
        try (ScriptedServer server =
                ScriptedServer.start(Script.create().send("bye\n").close())) {
            try (Client client = Client.connect(server.address())) {
                assertEquals("bye", client.readLine());
                assertEquals(-1, client.read());
                client.send("after the FIN\n"); // no reset: the server still reads
                server.awaitLines(0, 1, TIMEOUT);
            }
            awaitClosed(server, 0);
            assertTrue(server.connection(0).receivedEndOfStream());
            server.assertNoFailures();
        }
    }

    @Test
    void closeAloneHangsUpRightAfterAccept() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().close());
                Client client = Client.connect(server.address())) {
            assertEquals(-1, client.read());
        }
    }

    @Test
    void resetAloneResetsRightAfterAccept() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.create().reset())) {
            SocketException e = assertThrows(SocketException.class, () -> ScriptedServerTest.connectAndRead(server));
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
        }
    }

    @Test
    void resetAfterAnExpectationAbortsTheConnection() throws Exception {
        try (ScriptedServer server =
                        ScriptedServer.start(Script.create().expectLine("GO").reset());
                Client client = Client.connect(server.address())) {
            client.send("GO\n");
            SocketException e = assertThrows(SocketException.class, client::read);
            assertTrue(e.getMessage().contains("reset"), e.getMessage());
            awaitClosed(server, 0);
            server.assertNoFailures();
        }
    }

    @Test
    void stepsThatCannotFollowAreRejectedWhenTheScriptIsBuilt() {
        IllegalStateException ended = assertThrows(
                IllegalStateException.class, () -> Script.create().close().send("x"));
        assertEquals(
                "send(\"x\") cannot follow close(): the script has ended (script so far: [close()])",
                ended.getMessage());
        IllegalStateException deaf = assertThrows(
                IllegalStateException.class, () -> Script.create().stopReading().expectLine("x"));
        assertTrue(deaf.getMessage().contains("the server no longer reads"), deaf.getMessage());
        IllegalStateException mute = assertThrows(
                IllegalStateException.class, () -> Script.create().halfClose().sendLines("x"));
        assertTrue(mute.getMessage().contains("the server's output is shut down"), mute.getMessage());
        Script.create().halfClose().expectLine("still reads").close(); // allowed
        Script.create().stopReading().send("still writes").reset(); // allowed
    }

    @Test
    void badArgumentsAreRejectedWithTheirValue() {
        assertEquals(
                "frame prefixBytes must be 1, 2, 4 or 8, was 3",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Script.create().sendFrame(3, "x"))
                        .getMessage());
        assertEquals(
                "frame payload of 256 bytes does not fit a 1-byte length prefix (max 255)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Script.create().sendFrame(1, new byte[256]))
                        .getMessage());
        assertEquals(
                "drip interval must be > 0, was PT0S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Script.create().drip("x", Duration.ZERO))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Script.create().expectFrame(5, "x"));
        assertThrows(NullPointerException.class, () -> Script.create().expectLine(null));
    }

    @Test
    void scriptsAreImmutableAndPrintTheirSteps() {
        Script base = Script.create().send("HELLO\n");
        Script longer = base.expectLine("SUBSCRIBE prices").close();
        assertEquals("[send(\"HELLO\\n\")]", base.toString());
        assertEquals("[send(\"HELLO\\n\"), expectLine(\"SUBSCRIBE prices\"), close()]", longer.toString());
    }

    private static void awaitClosed(ScriptedServer server, int index) {
        Await.value(() -> server.connection(index).closedAt(), c -> c.isPresent(), TIMEOUT, "connection closed");
    }
}
