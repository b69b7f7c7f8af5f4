/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.ConnectFailedException;
import dev.tether.ConnectionState;
import dev.tether.testing.RecordingListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The connection's lifecycle with a connector that stands in for the network: no server, no sockets. */
class DefaultConnectionTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final RecordingListener events = new RecordingListener();

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Issue 10: closing during the first connect ended the connection without the terminal ClosedEvent. */
    @Test
    void issue10ClosingDuringTheFirstConnectFiresClosedEventOnce() throws Exception {
        DefaultConnection<String> connection = connection(new PendingConnector());
        connection.start();

        connection.closeAsync().get(5, TimeUnit.SECONDS);

        assertEquals(ConnectionState.CLOSED, connection.state());
        assertEquals(List.of("ClosedEvent"), events.kinds());
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> connection.connectFuture().get(5, TimeUnit.SECONDS));
        assertInstanceOf(ConnectFailedException.class, e.getCause());
        assertTrue(
                e.getCause().getMessage().contains("closed by the application"),
                e.getCause().getMessage());
        connection.closeAsync().get(5, TimeUnit.SECONDS); // idempotent: no second event
        assertEquals(List.of("ClosedEvent"), events.kinds());
    }

    private DefaultConnection<String> connection(Connector connector) {
        ClientConfig<String> config = ClientConfig.builder()
                .remoteAddress("127.0.0.1", 9)
                .connectTimeout(Duration.ofSeconds(1))
                .listener(events)
                .build();
        EventLoop loop = group.next();
        return new DefaultConnection<>("test#1", config, group, loop, connector);
    }

    /** A connect attempt that never ends by itself, as one to a host that does not answer. */
    private static final class PendingConnector extends Connector {
        PendingConnector() {
            super(null, Runnable::run, Duration.ofSeconds(1));
        }

        @Override
        CompletableFuture<Channel> connect(
                InetSocketAddress address,
                EventLoop loop,
                ChannelHandler initializer,
                Consumer<Channel> created,
                BooleanSupplier cancelled) {
            return new CompletableFuture<>();
        }
    }
}
