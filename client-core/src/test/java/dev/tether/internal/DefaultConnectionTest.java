/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.ClientConfig;
import dev.tether.ConnectFailedException;
import dev.tether.ConnectedEvent;
import dev.tether.Connection;
import dev.tether.ConnectionClosedException;
import dev.tether.ConnectionClosedException.Reason;
import dev.tether.ConnectionEvent;
import dev.tether.ConnectionListener;
import dev.tether.ConnectionState;
import dev.tether.ConnectionStats;
import dev.tether.DisconnectedEvent;
import dev.tether.GaveUpEvent;
import dev.tether.MetricsRecorder;
import dev.tether.ReconnectScheduledEvent;
import dev.tether.Stats;
import dev.tether.Transport;
import dev.tether.codec.Framing;
import dev.tether.internal.FakeConnector.Outcome;
import dev.tether.reconnect.Jitter;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.RecordingListener;
import dev.tether.testing.RecordingRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reconnect state machine with a connector that stands in for the network: no server, no sockets, and time that
 * moves only when the test advances it. Channels are {@link EmbeddedChannel}s carrying the connection's real pipeline.
 */
class DefaultConnectionTest {
    private static final ReconnectPolicy STEPS = ReconnectPolicy.exponential(
                    Duration.ofMillis(100), Duration.ofMillis(400))
            .withJitter(Jitter.NONE)
            .withResetAfter(Duration.ofSeconds(1));

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final RecordingListener events = new RecordingListener();
    /** Runs the connection: its loop, with time frozen, so timers fire only when the test says. */
    private final EmbeddedChannel clock = new EmbeddedChannel();

    DefaultConnectionTest() {
        clock.freezeTime();
    }

    @AfterEach
    void tearDown() {
        clock.finishAndReleaseAll();
        connectors.forEach(connector -> connector.channels.forEach(EmbeddedChannel::finishAndReleaseAll));
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Issue 10: closing during the first connect ended the connection without the terminal ClosedEvent. */
    @Test
    void issue10ClosingDuringTheFirstConnectFiresClosedEventOnce() throws Exception {
        ClientConfig<String> config = config(STEPS).retryInitialConnect(false).build();
        DefaultConnection<String> connection = new DefaultConnection<>(
                "test#1", config, group, group.next(), FakeConnector.pending(), Transport.NIO, MetricsRecorder.NONE);
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

    /** Delays double from the initial one up to the cap; the policy's last retry ends it with GaveUpEvent. */
    @Test
    void issue10BackoffDoublesToTheCapThenGivesUp() {
        FakeConnector connector = FakeConnector.refusing();
        DefaultConnection<String> connection =
                start(connector, config(STEPS.withMaxAttempts(5)).build());

        advance(100, 200, 400, 400, 400);

        assertEquals(List.of(100L, 200L, 400L, 400L, 400L), scheduledDelays());
        assertEquals(List.of(1, 2, 3, 4, 5), scheduledAttempts());
        assertEquals(6, connector.attempts, "the first attempt and five retries");
        assertEquals(5, events.events(GaveUpEvent.class).get(0).attempts(), "the five retries; the first is not one");
        assertEquals(ConnectionState.CLOSED, connection.state());
        assertEquals("ClosedEvent", events.kinds().get(events.kinds().size() - 1));
        assertEquals(-1, clock.runScheduledPendingTasks(), "no timer left after giving up");
    }

    /** Close disarms a pending retry: no timer survives it (this fails if the cancel is removed). */
    @Test
    void issue10CloseDisarmsAPendingRetry() throws Exception {
        FakeConnector connector = FakeConnector.refusing();
        DefaultConnection<String> connection = start(
                connector, config(ReconnectPolicy.fixed(Duration.ofSeconds(30))).build());
        assertTrue(clock.runScheduledPendingTasks() > 0, "the retry is armed");

        connection.closeAsync();
        clock.runPendingTasks();

        assertEquals(-1, clock.runScheduledPendingTasks(), "close must cancel the retry timer");
        advance(60_000);
        assertEquals(1, connector.attempts);
        assertEquals(List.of("ReconnectScheduledEvent", "ClosedEvent"), events.kinds());
        assertTrue(connection.closeFuture().isDone());
    }

    /** A link that stays up for resetAfter ends the outage: the next one starts again at attempt 1, initial delay. */
    @Test
    void issue10TheAttemptCountResetsOnlyAfterAStableLink() {
        FakeConnector connector =
                new FakeConnector(Outcome.REFUSE, Outcome.REFUSE, Outcome.OPEN, Outcome.OPEN, Outcome.OPEN);
        start(connector, config(STEPS).build());
        advance(100, 200); // two refused retries, then attempt 2 connects
        assertEquals(2, events.events(ConnectedEvent.class).get(0).attempt(), "the retry that connected");

        advance(999); // not stable yet
        connector.channel().close();
        assertEquals(List.of(100L, 200L, 400L), scheduledDelays(), "a short link does not reset the backoff");
        assertEquals(3, last(ReconnectScheduledEvent.class).attempt());

        advance(400, 1000); // attempt 3 connects and stays up for resetAfter
        connector.channel().close();
        assertEquals(100L, last(ReconnectScheduledEvent.class).delay().toMillis(), "a new outage");
        assertEquals(1, last(ReconnectScheduledEvent.class).attempt());
        advance(100);
        assertEquals(1, last(ConnectedEvent.class).attempt());
        assertEquals(ConnectionState.CONNECTED, connectionState());
    }

    /** The hook's sends go first, then what was buffered before the link was up, in order, once. */
    @Test
    void issue10TheHookRunsBeforeBufferedSendsWhichFlushInOrderOnce() {
        FakeConnector connector = new FakeConnector(Outcome.REFUSE, Outcome.OPEN);
        CompletableFuture<Void> loginReply = new CompletableFuture<>();
        ClientConfig<String> config = config(STEPS)
                .onConnect(hook -> hook.send("LOGIN").thenCompose(sent -> loginReply))
                .build();
        DefaultConnection<String> connection = start(connector, config);
        connection.send("a");
        connection.send("b");
        clock.runPendingTasks();

        advance(100);
        assertEquals(List.of("LOGIN"), written(connector.channel()), "nothing else before the hook is done");
        assertFalse(connection.connectFuture().isDone());
        assertFalse(connection.isWritable());

        loginReply.complete(null);
        clock.runPendingTasks();
        assertEquals(List.of("a", "b"), written(connector.channel()));
        connection.send("c");
        assertEquals(List.of("c"), written(connector.channel()), "nothing written twice");
        assertTrue(connection.connectFuture().isDone());
    }

    /** Sends buffered during an outage go out on the next channel, in order, once; none on the dead one. */
    @Test
    void issue10SendsBufferedDuringAnOutageGoOutOnTheNextChannelOnce() {
        FakeConnector connector = new FakeConnector(Outcome.OPEN);
        DefaultConnection<String> connection = start(connector, config(STEPS).build());
        EmbeddedChannel first = connector.channel();
        connection.send("before");
        clock.runPendingTasks();
        assertEquals(List.of("before"), written(first));
        first.close();

        connection.send("one");
        connection.send("two");
        clock.runPendingTasks();
        assertEquals(ConnectionState.RECONNECTING, connection.state());
        advance(100);

        EmbeddedChannel next = connector.channel();
        assertFalse(next == first);
        assertEquals(List.of("one", "two"), written(next));
        assertEquals(List.of(), written(first));
        assertTrue(connection.isWritable());
    }

    /** A hook that fails closes that channel with the hook's error and retries; buffered sends wait for the next. */
    @Test
    void issue10AFailedHookClosesTheChannelAndTheNextAttemptTriesAgain() {
        FakeConnector connector = new FakeConnector(Outcome.OPEN);
        int[] calls = {0};
        ClientConfig<String> config = config(STEPS)
                .onConnect(hook -> ++calls[0] == 1
                        ? CompletableFuture.failedFuture(new IllegalStateException("login refused"))
                        : hook.send("LOGIN"))
                .build();
        DefaultConnection<String> connection = start(connector, config);
        EmbeddedChannel first = connector.channel();
        connection.send("queued");
        clock.runPendingTasks();

        assertFalse(first.isActive(), "the hook's failure closes its channel");
        DisconnectedEvent lost = events.events(DisconnectedEvent.class).get(0);
        assertTrue(
                lost.cause()
                        .getMessage()
                        .endsWith("failed: the onConnect hook failed: "
                                + "java.lang.IllegalStateException: login refused"),
                lost.cause().getMessage());
        assertEquals(List.of(), written(first));
        assertFalse(connection.connectFuture().isDone(), "connect() waits for a link that passed the hook");

        advance(100);
        assertEquals(List.of("LOGIN", "queued"), written(connector.channel()));
        assertTrue(connection.connectFuture().isDone());
    }

    /**
     * A listener that closes the connection when it hears of a lost link (as a feed consumer does at the end of the
     * feed) ends it there: before, a retry was still scheduled, its event came after ClosedEvent, and the state went
     * back from CLOSED to RECONNECTING.
     */
    @Test
    void issue10ClosingFromOnDisconnectedEndsTheConnectionWithoutARetry() {
        FakeConnector connector = new FakeConnector(Outcome.OPEN);
        ConnectionListener closing = new ConnectionListener() {
            @Override
            public void onDisconnected(DisconnectedEvent event) {
                event.connection().closeAsync();
            }

            @Override
            public void onEvent(ConnectionEvent event) {
                events.onEvent(event);
            }
        };
        DefaultConnection<String> connection =
                start(connector, config(STEPS).listener(closing).build());

        connector.channel().close();
        clock.runPendingTasks();

        assertEquals(List.of("ConnectedEvent", "DisconnectedEvent", "ClosedEvent"), events.kinds());
        assertEquals(ConnectionState.CLOSED, connection.state());
        assertEquals(-1, clock.runScheduledPendingTasks(), "no retry armed");
        CompletableFuture<Void> late = connection.send("late");
        ExecutionException refused = assertThrows(ExecutionException.class, late::get);
        assertEquals(
                Reason.APPLICATION, ((ConnectionClosedException) refused.getCause()).reason(), "closed by the app");
    }

    /**
     * A link whose on-connect hook never completes is no stable link, however long the hook waited: with the stable
     * period shorter than the connect timeout, the backoff must still grow.
     */
    @Test
    void issue10TheStablePeriodStartsWhenTheHookPassed() {
        FakeConnector connector = new FakeConnector(Outcome.OPEN);
        ClientConfig<String> config = config(STEPS) // resetAfter 1 s
                .connectTimeout(Duration.ofSeconds(2))
                .onConnect(hook -> new CompletableFuture<Void>())
                .build();
        start(connector, config);

        advance(2000, 100, 2000);

        assertEquals(List.of(1, 2), scheduledAttempts());
        assertEquals(List.of(100L, 200L), scheduledDelays());
    }

    /** The publisher of messages() signals its subscriber on the config's publisherExecutor. */
    @Test
    void issue10ThePublisherRunsOnTheConfiguredExecutor() {
        FakeConnector connector = new FakeConnector(Outcome.OPEN);
        List<Runnable> ran = new ArrayList<>();
        Executor recording = task -> {
            ran.add(task);
            task.run();
        };
        DefaultConnection<String> connection =
                start(connector, config(STEPS).publisherExecutor(recording).build());
        List<String> received = new ArrayList<>();
        connection.messages().subscribe(new Flow.Subscriber<String>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String item) {
                received.add(item);
            }

            @Override
            public void onError(Throwable throwable) {}

            @Override
            public void onComplete() {}
        });

        connector.channel().writeInbound(Unpooled.copiedBuffer("hello\n", UTF_8));
        clock.runPendingTasks();

        assertEquals(List.of("hello"), received);
        assertFalse(ran.isEmpty(), "the subscriber was called through the configured executor");
    }

    /** Issue 13: each message, byte, send, drop, connect and loss is counted once, where it happens. */
    @Test
    void issue13StatsCountWhatHappensExactly() {
        FakeConnector connector = new FakeConnector(Outcome.REFUSE, Outcome.OPEN);
        DefaultConnection<String> connection =
                start(connector, config(STEPS).framing(Framing.lines(8)).build());
        assertEquals(1, connection.stats().failedConnects());
        assertEquals(0, connection.stats().connects());
        advance(100);
        ConnectionStats up = connection.stats();
        assertEquals(1, up.connects());
        assertEquals(0, up.reconnects());
        assertTrue(up.connectedSince().isPresent());
        assertTrue(up.lastMessageReceivedAt().isEmpty());
        assertEquals(Transport.NIO, up.transport());

        connector.channel().writeInbound(Unpooled.copiedBuffer("a\nbb\nmuch too long\n", UTF_8));
        connection.send("xyz");
        assertEquals(List.of("xyz"), written(connector.channel()));
        ConnectionStats read = connection.stats();
        assertEquals(2, read.messagesReceived());
        assertEquals(19, read.bytesReceived(), "every byte read, the dropped line's too");
        assertEquals(1, read.framesDropped(Stats.DropReason.TOO_LONG));
        assertEquals(0, read.framesDropped(Stats.DropReason.MALFORMED));
        assertEquals(1, read.framesDropped());
        assertEquals(1, read.messagesSent());
        assertEquals(4, read.bytesSent(), "as framed: xyz and its newline");
        assertTrue(read.lastMessageReceivedAt().isPresent());

        connector.channel().pipeline().fireExceptionCaught(new SocketException("Connection reset"));
        clock.runPendingTasks();
        assertEquals(1, connection.stats().disconnects(Stats.DisconnectCause.RESET));
        assertTrue(connection.stats().connectedSince().isEmpty());
        advance(200); // the second retry of this outage: the link before was not stable
        connector.channel().close();
        clock.runPendingTasks();
        advance(400);

        ConnectionStats end = connection.stats();
        assertEquals(3, end.connects());
        assertEquals(2, end.reconnects());
        assertEquals(1, end.disconnects(Stats.DisconnectCause.PEER_CLOSED));
        assertEquals(2, end.disconnects());
        assertEquals(1, end.failedConnects());
        assertEquals(2, end.messagesReceived(), "counts survive reconnects");
    }

    /** Issue 13: the recorder hears each attempt start, its hook phase, and its end, once; a failed hook is no connect. */
    @Test
    void issue13TheRecorderHearsEachAttemptOnce() {
        RecordingRecorder recorder = new RecordingRecorder();
        List<String> heard = recorder.heard;
        FakeConnector connector = new FakeConnector(Outcome.REFUSE, Outcome.OPEN);
        int[] calls = {0};
        DefaultConnection<String> connection = start(
                connector,
                config(STEPS)
                        .name("quotes")
                        .metrics(recorder)
                        .onConnect(hook -> ++calls[0] == 1
                                ? CompletableFuture.failedFuture(new IllegalStateException("login refused"))
                                : CompletableFuture.completedFuture(null))
                        .build());
        advance(100, 200);

        assertEquals(
                List.of(
                        "start quotes test#1 9",
                        "failed ConnectFailedException",
                        "start quotes test#1 9",
                        "hook",
                        "failed ConnectionClosedException",
                        "start quotes test#1 9",
                        "hook",
                        "succeeded"),
                heard);
        ConnectionStats stats = connection.stats();
        assertEquals(1, stats.connects());
        assertEquals(2, stats.failedConnects(), "the refusal and the failed hook");
        assertEquals(0, stats.disconnects(), "a link that never passed its hook is a failed connect, not a loss");

        connection.closeAsync();
        clock.runPendingTasks();
        assertEquals(1, connection.stats().disconnects(Stats.DisconnectCause.APPLICATION));
        assertEquals(8, heard.size(), "a close after the connect is no attempt");
    }

    /** Issue 13: an attempt that never ends by itself (its resolve dropped by a closing client) ends with the close. */
    @Test
    void issue13ClosingDuringAPendingAttemptEndsItForTheRecorder() {
        List<String> heard = new ArrayList<>();
        MetricsRecorder recorder = new MetricsRecorder() {
            @Override
            public ConnectAttempt connectStarted(String client, Connection<?> connection, InetSocketAddress endpoint) {
                return new ConnectAttempt() {
                    @Override
                    public void failed(Throwable error) {
                        heard.add("failed " + error.getClass().getSimpleName());
                    }
                };
            }
        };
        DefaultConnection<String> connection =
                start(FakeConnector.pending(), config(STEPS).metrics(recorder).build());

        connection.closeAsync();
        clock.runPendingTasks();

        assertEquals(List.of("failed ConnectionClosedException"), heard);
        assertEquals(1, connection.stats().failedConnects());
    }

    /** Issue 13: stats() sorts losses by the error's type into the fixed set of causes. */
    @Test
    void issue13DisconnectCausesComeFromTheErrorsType() {
        assertEquals(Stats.DisconnectCause.RESET, cause(new SocketException("Connection reset")));
        assertEquals(
                Stats.DisconnectCause.IDLE_TIMEOUT, cause(new dev.tether.IdleTimeoutException("no data within PT1S")));
        assertEquals(
                Stats.DisconnectCause.PROTOCOL_ERROR,
                cause(new dev.tether.MalformedFrameException("corrupt length prefix", null)));
        assertEquals(Stats.DisconnectCause.TLS_ERROR, cause(new javax.net.ssl.SSLException("bad record MAC")));
        assertEquals(Stats.DisconnectCause.IO_ERROR, cause(new java.io.IOException("No route to host")));
        assertEquals(
                Stats.DisconnectCause.PEER_CLOSED,
                ChannelSession.causeOf(new ConnectionClosedException("closed by the peer", Reason.PEER, null)));
        assertEquals(
                Stats.DisconnectCause.APPLICATION,
                ChannelSession.causeOf(new ConnectionClosedException("closed", Reason.APPLICATION, null)));
    }

    private static Stats.DisconnectCause cause(Throwable error) {
        return ChannelSession.causeOf(new ConnectionClosedException("lost", Reason.FAILURE, error));
    }

    // ---- helpers ----

    private ClientConfig.Builder<String> config(ReconnectPolicy policy) {
        return ClientConfig.builder()
                .remoteAddress("127.0.0.1", 9)
                .reconnect(policy)
                .retryInitialConnect(true)
                .listener(events);
    }

    private DefaultConnection<String> current;
    private final List<FakeConnector> connectors = new ArrayList<>();

    private DefaultConnection<String> start(FakeConnector connector, ClientConfig<String> config) {
        connectors.add(connector);
        EventLoop loop = clock.eventLoop();
        current = new DefaultConnection<>("test#1", config, loop, loop, connector, Transport.NIO, config.metrics());
        current.start();
        clock.runPendingTasks();
        return current;
    }

    private ConnectionState connectionState() {
        return current.state();
    }

    /** Moves frozen time on by each step in turn, running what falls due after each. */
    private void advance(long... millis) {
        for (long step : millis) {
            clock.advanceTimeBy(step, TimeUnit.MILLISECONDS);
            clock.runPendingTasks();
            clock.runScheduledPendingTasks();
            clock.runPendingTasks(); // what the timers queued: an attempt's flush, say
        }
    }

    private List<Long> scheduledDelays() {
        return events.events(ReconnectScheduledEvent.class).stream()
                .map(e -> e.delay().toMillis())
                .toList();
    }

    private List<Integer> scheduledAttempts() {
        return events.events(ReconnectScheduledEvent.class).stream()
                .map(ReconnectScheduledEvent::attempt)
                .toList();
    }

    private <E extends ConnectionEvent> E last(Class<E> kind) {
        List<E> all = events.events(kind);
        return all.get(all.size() - 1);
    }

    /** The lines written to {@code channel} since the last call, released as they are read. */
    private List<String> written(EmbeddedChannel channel) {
        clock.runPendingTasks(); // the connection's flush
        channel.runPendingTasks();
        List<String> lines = new ArrayList<>();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            try {
                if (out.isReadable()) {
                    lines.add(out.toString(UTF_8).stripTrailing());
                }
            } finally {
                out.release();
            }
        }
        return lines;
    }
}
