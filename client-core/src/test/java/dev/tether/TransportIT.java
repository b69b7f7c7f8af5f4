/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.NumberedLines;
import dev.tether.testing.RecordingListener;
import dev.tether.testing.Resources;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import io.netty.channel.uring.IoUring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which transport {@link Transport#AUTO} picks, and that every transport notices a reset at once. The build runs this
 * class twice: as the JVM starts, and with Netty's io_uring multishot polls switched on, under which AUTO still picks
 * epoll and io_uring's reset test is skipped.
 */
class TransportIT {
    private static final String MULTISHOT_POLLS = "io.netty.iouring.pollAddMultishotEnabled";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final Resources resources = new Resources();
    private final RecordingListener events = new RecordingListener();

    @AfterEach
    void tearDown() throws Exception {
        resources.closeAll();
    }

    private static boolean multishotPollsForced() {
        return "true".equals(System.getProperty(MULTISHOT_POLLS));
    }

    private TetherClient<String> client(Transport transport, int port) {
        return resources.track(TetherClient.create(ClientConfig.builder()
                .remoteAddress("127.0.0.1", port)
                .name(resources.clientName("transport"))
                .eventLoops(1, transport)
                .reconnect(ReconnectPolicy.disabled())
                .listener(events)
                .build()));
    }

    @Test
    void autoPicksEpollThenNio() throws Exception {
        ScriptedServer server = resources.track(ScriptedServer.start(Script.create())); // reads until the client closes
        TetherClient<String> client = client(Transport.AUTO, server.port());

        Transport expected = Transport.EPOLL.isAvailable() ? Transport.EPOLL : Transport.NIO;
        assertEquals(expected, client.transport());
        client.connect().get(10, TimeUnit.SECONDS).send("carried").get(10, TimeUnit.SECONDS);
        server.awaitLines(0, 1, WAIT);
    }

    /** Issue 10: no JVM-wide side effects. Clients on every transport here leave the system properties alone. */
    @Test
    void issue10ClientsOnEveryTransportSetNoSystemProperty() throws Exception {
        Map<Object, Object> before = new HashMap<>(System.getProperties());
        ScriptedServer server = resources.track(ScriptedServer.start(Script.create())); // reads until the client closes
        for (Transport transport : Transport.values()) {
            if (!transport.isAvailable()) {
                continue;
            }
            client(transport, server.port()).connect().get(10, TimeUnit.SECONDS);
        }
        assertEquals(before, new HashMap<>(System.getProperties()));
    }

    /** Runs where the build starts the JVM with Netty's multishot polls on: io_uring is declined, with the fix. */
    @Test
    void ioUringIsDeclinedWhileNettyRunsMultishotPolls() {
        assumeTrue(IoUring.isAvailable() && multishotPollsForced(), "io_uring with multishot polls on");
        assertFalse(Transport.IO_URING.isAvailable(), "not available to Tether while declined");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client(Transport.IO_URING, 9));
        assertTrue(e.getMessage().contains("start the JVM with -D" + MULTISHOT_POLLS + "=false"), e.getMessage());
    }

    /**
     * The server writes two lines and resets at once, so the reset lands while the client is still receiving them:
     * on io_uring with multishot polls, 7 to 10 of 30 such resets went unnoticed for 2 s.
     */
    @ParameterizedTest
    @MethodSource("dev.tether.testing.TransportsHere#all")
    void aResetRightBehindDataIsNoticedAtOnce(Transport transport) throws Exception {
        assumeFalse(
                transport == Transport.IO_URING && multishotPollsForced(),
                "Netty's io_uring runs with multishot polls in this JVM, which are known to miss such resets");
        // each connection waits for the client's "go", so the reset cannot race the connect
        ScriptedServer server = resources.track(ScriptedServer.start(
                Script.create().expectLine("go").send(NumberedLines.bytes(2)).reset()));
        TetherClient<String> client = client(transport, server.port());
        List<Integer> unnoticed = new ArrayList<>();

        for (int round = 0; round < 30; round++) {
            Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
            connection.send("go").get(10, TimeUnit.SECONDS);
            try {
                connection.closeFuture().get(2, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                unnoticed.add(round);
                connection.close();
            }
        }

        assertEquals(List.of(), unnoticed, "rounds whose reset went unnoticed for 2 s on " + transport);
        List<String> causes = events.events(DisconnectedEvent.class).stream()
                .map(e -> e.cause().reason() + ": " + e.cause().getMessage().replaceAll(".* was ", "was "))
                .distinct()
                .toList();
        assertEquals(List.of("FAILURE: was reset by the peer"), causes);
        server.assertNoFailures();
    }
}
