/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.NumberedLines;
import dev.tether.testing.RecordingListener;
import dev.tether.testing.Resources;
import dev.tether.testing.ServerBehavior;
import dev.tether.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
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

    static Stream<Transport> transportsHere() {
        return Stream.of(Transport.NIO, Transport.EPOLL, Transport.IO_URING).filter(Transport::isAvailable);
    }

    private static boolean multishotPollsForced() {
        return "true".equals(System.getProperty(MULTISHOT_POLLS));
    }

    private TetherClient<String> client(Transport transport, int port) {
        return resources.track(TetherClient.create(ClientConfig.builder()
                .remoteAddress("127.0.0.1", port)
                .name(resources.clientName("transport"))
                .transport(transport)
                .reconnect(ReconnectPolicy.never())
                .listener(events)
                .build()));
    }

    @Test
    void autoPicksEpollThenNio() throws Exception {
        TestServer server = resources.track(TestServer.start(ServerBehavior.readLines()));
        TetherClient<String> client = client(Transport.AUTO, server.port());

        Transport expected = Transport.EPOLL.isAvailable() ? Transport.EPOLL : Transport.NIO;
        assertEquals(expected, client.transport());
        // Tether turned the multishot polls off only where nobody had chosen
        assertEquals(multishotPollsForced() ? "true" : "false", System.getProperty(MULTISHOT_POLLS));
        client.connect().get(10, TimeUnit.SECONDS).send("carried").get(10, TimeUnit.SECONDS);
        server.awaitReceivedLines(1, WAIT);
    }

    /**
     * The server writes two lines and resets at once, so the reset lands while the client is still receiving them:
     * on io_uring with multishot polls, 7 to 10 of 30 such resets went unnoticed for 2 s.
     */
    @ParameterizedTest
    @MethodSource("transportsHere")
    void aResetRightBehindDataIsNoticedAtOnce(Transport transport) throws Exception {
        assumeFalse(
                transport == Transport.IO_URING && multishotPollsForced(),
                "Netty's io_uring runs with multishot polls in this JVM, which are known to miss such resets");
        TestServer server =
                resources.track(TestServer.start(ServerBehavior.resetAfterFirstByte(NumberedLines.bytes(2))));
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
    }
}
