/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.ConnectFailedException;
import dev.tether.ConnectionState;
import dev.tether.GaveUpEvent;
import dev.tether.ReconnectScheduledEvent;
import dev.tether.reconnect.Jitter;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.RecordingListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
        DefaultConnection<String> connection = connection(FakeConnector.pending());
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

    /**
     * Issue 10: the backoff on frozen time, with a connector that refuses every attempt: delays double from the
     * initial one up to the cap, each retry is one attempt, and the policy's last retry ends it with GaveUpEvent.
     */
    @Test
    void issue10BackoffDoublesToTheCapThenGivesUp() throws Exception {
        EmbeddedChannel clock = frozenLoop();
        FakeConnector connector = FakeConnector.refusing();
        DefaultConnection<String> connection = onFrozenLoop(
                clock,
                connector,
                ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofMillis(400))
                        .withJitter(Jitter.NONE)
                        .withMaxAttempts(5));
        connection.start();

        for (long delay : new long[] {100, 200, 400, 400, 400}) {
            clock.advanceTimeBy(delay, TimeUnit.MILLISECONDS);
            clock.runPendingTasks();
        }

        assertEquals(
                List.of(100L, 200L, 400L, 400L, 400L),
                events.events(ReconnectScheduledEvent.class).stream()
                        .map(e -> e.delay().toMillis())
                        .toList());
        assertEquals(6, connector.attempts, "the first attempt and five retries");
        assertEquals(6, events.events(GaveUpEvent.class).get(0).attempts());
        assertEquals(ConnectionState.CLOSED, connection.state());
        assertEquals("ClosedEvent", events.kinds().get(events.kinds().size() - 1));
        assertEquals(-1, clock.runScheduledPendingTasks(), "no timer left after giving up");
        assertFalse(clock.finishAndReleaseAll());
    }

    /** Issue 10: close disarms a pending retry: no timer survives it, and no attempt follows. */
    @Test
    void issue10CloseDisarmsAPendingRetry() throws Exception {
        EmbeddedChannel clock = frozenLoop();
        FakeConnector connector = FakeConnector.refusing();
        DefaultConnection<String> connection =
                onFrozenLoop(clock, connector, ReconnectPolicy.fixed(Duration.ofSeconds(30)));
        connection.start();
        events.await(ReconnectScheduledEvent.class, Duration.ofSeconds(5));
        assertTrue(clock.runScheduledPendingTasks() > 0, "the retry is armed");

        connection.closeAsync();
        clock.runPendingTasks();

        assertEquals(-1, clock.runScheduledPendingTasks(), "close must cancel the retry timer");
        clock.advanceTimeBy(60, TimeUnit.SECONDS);
        clock.runPendingTasks();
        assertEquals(1, connector.attempts);
        assertEquals(List.of("ReconnectScheduledEvent", "ClosedEvent"), events.kinds());
        assertTrue(connection.closeFuture().isDone());
        assertFalse(clock.finishAndReleaseAll());
    }

    /** An embedded channel whose loop, with time frozen, runs the connection: timers fire only when told. */
    private static EmbeddedChannel frozenLoop() {
        EmbeddedChannel clock = new EmbeddedChannel();
        clock.freezeTime();
        return clock;
    }

    private DefaultConnection<String> onFrozenLoop(EmbeddedChannel clock, Connector connector, ReconnectPolicy policy) {
        ClientConfig<String> config = ClientConfig.builder()
                .remoteAddress("127.0.0.1", 9)
                .reconnect(policy)
                .retryInitialConnect(true)
                .listener(events)
                .build();
        EventLoop loop = clock.eventLoop();
        return new DefaultConnection<>("test#1", config, loop, loop, connector);
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

    /** Stands in for the network: each attempt returns what {@code attempt} makes, and is counted. */
    private static final class FakeConnector extends Connector {
        private final Supplier<CompletableFuture<Channel>> attempt;
        int attempts;

        FakeConnector(Supplier<CompletableFuture<Channel>> attempt) {
            super(null, Runnable::run, Duration.ofSeconds(1));
            this.attempt = attempt;
        }

        /** Refuses every attempt at once, as a port nobody listens on does. */
        static FakeConnector refusing() {
            return new FakeConnector(() -> CompletableFuture.failedFuture(new ConnectFailedException(
                    "connect to 127.0.0.1:9 failed: Connection refused", new ConnectException("refused"))));
        }

        /** Never ends an attempt by itself, as one to a host that does not answer. */
        static FakeConnector pending() {
            return new FakeConnector(CompletableFuture::new);
        }

        @Override
        CompletableFuture<Channel> connect(
                InetSocketAddress address,
                EventLoop loop,
                ChannelHandler initializer,
                Consumer<Channel> created,
                BooleanSupplier cancelled) {
            attempts++;
            return attempt.get();
        }
    }
}
