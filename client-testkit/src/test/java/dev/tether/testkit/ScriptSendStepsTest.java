/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScriptSendStepsTest {

    @Test
    void sendWritesTextInUtf8ExactlyAsGiven() throws Exception {
        try (ScriptedServer server =
                        ScriptedServer.start(Script.create().send("HÉLLO\n").close());
                Client client = Client.connect(server.address())) {
            assertArrayEquals("HÉLLO\n".getBytes(StandardCharsets.UTF_8), client.readToEnd());
            server.assertNoFailures();
        }
    }

    @Test
    void sendWritesBytesAsTheyAre() throws Exception {
        byte[] bytes = {0, (byte) 0xff, 10, 13};
        try (ScriptedServer server =
                        ScriptedServer.start(Script.create().send(bytes).close());
                Client client = Client.connect(server.address())) {
            assertArrayEquals(bytes, client.readToEnd());
        }
    }

    @Test
    void sendLinesEndsEachLineWithNewline() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(
                        Script.create().sendLines("p1", "p2").close());
                Client client = Client.connect(server.address())) {
            assertEquals("p1\np2\n", new String(client.readToEnd(), StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 8})
    void sendFrameWritesABigEndianLengthPrefix(int prefixBytes) throws Exception {
        Script script = Script.create().sendFrame(prefixBytes, "hello").sendFrame(prefixBytes, new byte[0]);
        try (ScriptedServer server = ScriptedServer.start(script.close());
                Client client = Client.connect(server.address())) {
            ByteBuffer expected = ByteBuffer.allocate(2 * prefixBytes + 5);
            putLength(expected, prefixBytes, 5);
            expected.put("hello".getBytes(StandardCharsets.US_ASCII));
            putLength(expected, prefixBytes, 0);
            assertArrayEquals(expected.array(), client.readToEnd());
        }
    }

    @Test
    void dripWritesOneByteEveryInterval() throws Exception {
        Duration interval = Duration.ofMillis(20);
        try (ScriptedServer server =
                ScriptedServer.start(Script.create().drip("drops", interval).close())) {
            long start = System.nanoTime();
            try (Client client = Client.connect(server.address())) {
                StringBuilder text = new StringBuilder();
                int b;
                while ((b = client.read()) != -1) {
                    text.append((char) b);
                }
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                assertEquals("drops", text.toString());
                // the last byte cannot leave before four intervals after the first: a lower bound, not a race
                assertTrue(elapsed.compareTo(interval.multipliedBy(4)) >= 0, "drip took only " + elapsed);
            }
            server.assertNoFailures();
        }
    }

    @Test
    void dripOfBytesAndThenMoreSteps() throws Exception {
        Script script = Script.create()
                .drip(new byte[] {'a', 'b'}, Duration.ofMillis(1))
                .send("c\n");
        try (ScriptedServer server = ScriptedServer.start(script.close());
                Client client = Client.connect(server.address())) {
            assertEquals("abc", client.readLine());
        }
    }

    private static void putLength(ByteBuffer buffer, int prefixBytes, int length) {
        switch (prefixBytes) {
            case 1 -> buffer.put((byte) length);
            case 2 -> buffer.putShort((short) length);
            case 4 -> buffer.putInt(length);
            default -> buffer.putLong(length);
        }
    }
}
