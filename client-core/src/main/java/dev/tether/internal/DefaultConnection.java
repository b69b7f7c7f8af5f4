/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientConfig;
import dev.tether.ClientException;
import dev.tether.ClosedEvent;
import dev.tether.ConnectFailedException;
import dev.tether.ConnectedEvent;
import dev.tether.Connection;
import dev.tether.ConnectionClosedException;
import dev.tether.ConnectionClosedException.Reason;
import dev.tether.ConnectionEvent;
import dev.tether.ConnectionState;
import dev.tether.ConnectionStats;
import dev.tether.DisconnectedEvent;
import dev.tether.DrainResult;
import dev.tether.FrameDroppedEvent;
import dev.tether.GaveUpEvent;
import dev.tether.MetricsRecorder;
import dev.tether.ReconnectScheduledEvent;
import dev.tether.Transport;
import dev.tether.internal.pipeline.PipelineInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link Connection}: a logical link that outlives its channels. It holds the state and
 * the lifecycle, and wires the pieces that do the work: the {@link Reconnector} decides when and where to connect,
 * each {@link ChannelSession} reports what its channel says, the {@link Outbox} carries sends, and the
 * {@link Delivery} hands messages to the user.
 *
 * <p>Threads: every decision runs on the connection's own event loop ({@link #loop}), so the fields marked "loop
 * only" need no locks; public methods hop onto the loop. Fields read by other threads are volatile.
 */
final class DefaultConnection<T> implements Connection<T>, Outbox.Owner, ChannelSession.Owner {
    private static final Logger log = LoggerFactory.getLogger(DefaultConnection.class);

    private final String id;
    private final ClientConfig<T> config;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Connector connector;
    private final Reconnector reconnector;
    private final Outbox outbox;
    private final Delivery<T> delivery;
    private final Transport transport;
    private final MetricsRecorder recorder;
    private final Counters counters = new Counters();
    private final LoopAwareFuture<Connection<T>> connectFuture;
    private final LoopAwareFuture<Void> closeFuture;
    private final AtomicBoolean closeRequested = new AtomicBoolean();

    // Written on the loop, read by any thread.
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile InetSocketAddress remoteAddress;
    private volatile ConnectionClosedException lastCause; // why the last channel closed, for later refusals
    private volatile ChannelSession<T> session; // the open channel, or null while down
    private volatile long connectedSinceMillis; // when the open channel passed its hook; 0 while down
    /** The first drain's result, or null: set once, so that every later call gets the same. */
    private final AtomicReference<CompletableFuture<DrainResult>> drained = new AtomicReference<>();

    // Loop only.
    private ChannelSession<T> connecting; // the attempt in progress, or null
    private Drain draining; // the drain under way, or null
    private boolean everConnected;

    DefaultConnection(
            String id,
            ClientConfig<T> config,
            EventLoopGroup group,
            EventLoop loop,
            Connector connector,
            Transport transport,
            MetricsRecorder recorder) {
        this.id = id;
        this.transport = transport;
        this.recorder = recorder;
        this.config = config;
        this.group = group;
        this.loop = loop;
        this.connector = connector;
        this.reconnector = new Reconnector(id, config.reconnect(), config.remoteAddresses(), loop);
        this.outbox = new Outbox(config, group, loop, this, counters);
        this.delivery = Delivery.of(config, this, group, loop, this::finalFailure);
        this.remoteAddress = config.remoteAddresses().get(0);
        this.connectFuture = new LoopAwareFuture<>(group);
        this.closeFuture = new LoopAwareFuture<>(group);
    }

    CompletableFuture<Connection<T>> connectFuture() { // completed once the first link passed the hook
        return connectFuture;
    }

    /** Makes the first attempt; called once, on any thread. */
    void start() {
        Connector.onLoop(loop, this::attempt);
    }

    // ---- Connection ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public boolean isOpen() {
        return state == ConnectionState.CONNECTED;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    @Override
    public CompletableFuture<Void> send(T message) {
        return outbox.send(Objects.requireNonNull(message, "message"));
    }

    @Override
    public Optional<T> receive(Duration timeout) throws InterruptedException {
        return delivery.receive(timeout);
    }

    @Override
    public List<T> receive(int max, Duration timeout) throws InterruptedException {
        return delivery.receive(max, timeout);
    }

    @Override
    public Flow.Publisher<T> messages() {
        return delivery.messages();
    }

    @Override
    public boolean isWritable() {
        return outbox.isWritable();
    }

    @Override
    public CompletableFuture<Void> whenWritable() {
        return outbox.whenWritable();
    }

    @Override
    public ConnectionStats stats() {
        long[] values = new long[Counters.SIZE];
        counters.addTo(values);
        return new StatsSnapshot.OfConnection(
                values, levels(), id, state, connectedSinceMillis, remoteAddress, transport);
    }

    /** What waits in this connection now: its inbox, its outage buffer, its unwritten bytes. */
    StatsSnapshot.Levels levels() {
        return new StatsSnapshot.Levels(
                delivery.waitingMessages(), delivery.waitingBytes(), outbox.bufferedSends(), outbox.pendingBytes());
    }

    /** Whether a channel is up and past its on-connect hook, as the counts see it; from any thread. */
    boolean isReady() {
        ChannelSession<T> s = session;
        return s != null && s.isReady();
    }

    /** Adds this connection's counts to {@code into}; from any thread. */
    void addCountsTo(long[] into) {
        counters.addTo(into);
    }

    @Override
    public CompletableFuture<DrainResult> drain(Duration timeout) {
        Delivery.checkTimeout(timeout);
        long nanos = Checks.cappedNanos(timeout);
        CompletableFuture<DrainResult> result = new LoopAwareFuture<>(group);
        if (!drained.compareAndSet(null, result)) {
            return drained.get();
        }
        if (!closeRequested.compareAndSet(false, true)) {
            // closed, or closing, without a drain: nothing was drained
            closeFuture.whenComplete(
                    (ok, error) -> result.complete(new Drained(false, 0, delivery.waitingMessages(), 0, 0)));
            return result;
        }
        // counted from the call on: what is taken or written before the loop gets to it counts as drained
        Drain drain = new Drain(
                nanos, result, delivery.takenMessages(), counters.get(Counters.MESSAGES_OUT), outbox.failedBytes());
        // a task even on the loop, as for closeAsync: a callback that drains finishes, with its event, first
        try {
            loop.execute(drain::start);
        } catch (RejectedExecutionException terminated) {
            drain.start();
        }
        return result;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (closeRequested.compareAndSet(false, true)) {
            // a task even on the loop: a callback that closes finishes, with the event it handles, first
            try {
                loop.execute(this::closeOnLoop);
            } catch (RejectedExecutionException terminated) {
                closeOnLoop();
            }
        }
        return closeFuture;
    }

    @Override
    public void close() {
        Checks.awaitClose(group, closeAsync(), config.closeTimeout().plusSeconds(1), describe());
    }

    @Override
    public String toString() {
        return "Connection{" + id + " to " + target() + ", " + state + "}";
    }

    // ---- connecting and reconnecting, on the loop ----

    private void attempt() {
        if (state == ConnectionState.CLOSED || closeRequested.get()) {
            return; // the queued close task ends it
        }
        InetSocketAddress endpoint = reconnector.nextEndpoint();
        MetricsRecorder.ConnectAttempt recorded = recorder.connectStarted(config.name(), this, endpoint);
        ChannelSession<T> attempt = new ChannelSession<>(
                id,
                endpoint,
                config.codec().messageType(),
                delivery,
                outbox,
                this,
                config.tls().orElse(null),
                counters,
                recorded);
        connecting = attempt;
        connector
                .connect(
                        endpoint,
                        loop,
                        new PipelineInitializer(config, attempt, id, attempt.target()),
                        attempt::created,
                        () -> state == ConnectionState.CLOSED,
                        recorded)
                .whenComplete((channel, error) -> {
                    connecting = null;
                    if (error != null) {
                        attemptEnded(attempt, error);
                        attemptFailed((ConnectFailedException) error);
                    } else {
                        channelUp(attempt);
                    }
                });
    }

    private void attemptFailed(ConnectFailedException error) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        if (closeRequested.get()) {
            terminate(closedByApplication(), null);
        } else if (!everConnected && !config.retryInitialConnect()) {
            log.debug("connection {}: {}", id, error.getMessage());
            terminate(new ConnectionClosedException(error.getMessage(), Reason.FAILURE, error), error);
        } else {
            retry(error);
        }
    }

    /** Schedules the next attempt after {@code cause}, or gives up if the policy says so. */
    private void retry(ClientException cause) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        Optional<Duration> delay = reconnector.scheduleRetry(cause, this::attempt);
        if (delay.isEmpty()) {
            String summary = reconnector.gaveUp(cause, target());
            fire(new GaveUpEvent(this, reconnector.attempt(), cause));
            terminate(
                    new ConnectionClosedException(
                            describe() + " gave up reconnecting after " + summary, Reason.FAILURE, cause),
                    new ConnectFailedException("connect to " + target() + " failed after " + summary, cause));
            return;
        }
        state = everConnected ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING;
        fire(new ReconnectScheduledEvent(this, reconnector.attempt(), delay.get(), cause, reconnector.peekEndpoint()));
    }

    private void channelUp(ChannelSession<T> s) {
        if (state == ConnectionState.CLOSED || closeRequested.get()) {
            s.channel().close();
            ConnectionClosedException closed = closedByApplication();
            attemptEnded(s, closed);
            terminate(closed, null);
            return;
        }
        session = s;
        s.established();
        // through a proxy, the channel's peer is the proxy: the server is the endpoint
        remoteAddress = config.proxy().isEmpty() && s.channel().remoteAddress() instanceof InetSocketAddress address
                ? address
                : s.endpoint();
        everConnected = true;
        state = ConnectionState.CONNECTED;
        delivery.attach(s.channel());
        fire(new ConnectedEvent(this, remoteAddress, reconnector.attempt()));
        runHook(s);
    }

    private void runHook(ChannelSession<T> s) {
        Optional<Function<? super Connection<T>, ? extends CompletionStage<?>>> hook = config.onConnect();
        if (hook.isEmpty()) {
            ready(s);
        } else {
            s.attempt().phase(MetricsRecorder.Phase.HOOK);
            new HookConnection<>(this, s, outbox, loop, () -> session == s)
                    .run(hook.get(), config.connectTimeout(), () -> ready(s));
        }
    }

    /** The hook is done: the buffered sends go out, in order, then everyone's; connect() completes. */
    private void ready(ChannelSession<T> s) {
        reconnector.linkUp(); // the stable period starts once the hook passed: a hook that fails is no stable link
        if (counters.get(Counters.CONNECTS) > 0) {
            counters.add(Counters.RECONNECTS, 1);
        }
        counters.add(Counters.CONNECTS, 1);
        connectedSinceMillis = System.currentTimeMillis();
        s.ready();
        outbox.open(s.channel());
        connectFuture.complete(this);
    }

    @Override
    public void channelDown(ChannelSession<?> s, ConnectionClosedException cause) {
        if (session != s) {
            return;
        }
        session = null;
        lastCause = cause;
        connectedSinceMillis = 0;
        if (s.isReady()) {
            counters.add(Counters.disconnects(ChannelSession.causeOf(cause)), 1);
        } else {
            attemptEnded(s, cause); // the on-connect hook failed, or the link went down while it ran
        }
        outbox.shut();
        reconnector.linkDown();
        boolean ending = closeRequested.get()
                || cause.reason() == Reason.APPLICATION
                || !config.reconnect().isEnabled();
        if (!ending) {
            state = ConnectionState.RECONNECTING; // before the listener hears of it: the link is down
        }
        if (ending && cause.reason() == Reason.FAILURE && !closeRequested.get()) {
            log.warn("{}", cause.getMessage()); // the one line for a loss that ends the connection
        } else {
            log.debug("{}", cause.getMessage()); // a reconnect follows, and its line tells the loss
        }
        fire(new DisconnectedEvent(this, cause));
        if (ending) {
            terminate(cause, null);
        } else if (closeRequested.get()) { // the listener closed the connection just now
            terminate(closedByApplication(), null);
        } else {
            retry(cause);
        }
    }

    @Override
    public void frameDropped(ChannelSession<?> s, ClientException error) {
        fire(new FrameDroppedEvent(this, error));
    }

    // ---- closing, on the loop ----

    /** What a drain achieved. */
    record Drained(boolean completed, long messagesDelivered, long messagesLeft, long sendsFlushed, long bytesUnsent)
            implements DrainResult {}

    /**
     * One drain, on the loop: reading and reconnecting stop at once; the close follows once the inbox is empty and
     * every accepted send written, or at the timeout, whichever comes first.
     */
    private final class Drain {
        private final long timeoutNanos;
        private final CompletableFuture<DrainResult> result;
        private final long takenAtStart;
        private final long sentAtStart;
        private final long failedAtStart;
        private boolean delivered;
        private boolean flushed;
        private boolean finished;
        private ScheduledFuture<?> deadline;
        private final Runnable onDelivered = () -> {
            delivered = true;
            finishIfDone();
        };

        Drain(
                long timeoutNanos,
                CompletableFuture<DrainResult> result,
                long takenAtStart,
                long sentAtStart,
                long failedAtStart) {
            this.timeoutNanos = timeoutNanos;
            this.result = result;
            this.takenAtStart = takenAtStart;
            this.sentAtStart = sentAtStart;
            this.failedAtStart = failedAtStart;
        }

        void start() {
            if (state == ConnectionState.CLOSED) {
                finish(false);
                return;
            }
            draining = this; // until it finishes: a terminate that comes first (a forced close) finishes it
            reconnector.cancel();
            ChannelSession<T> s = session;
            delivery.stopReading(s == null ? null : s.channel());
            if (s == null) {
                if (outbox.pendingBytes() > 0) { // down, with sends buffered that no channel will write
                    finish(false);
                    return;
                }
                flushed = true;
            }
            deadline = loop.schedule(() -> finish(false), timeoutNanos, TimeUnit.NANOSECONDS);
            delivery.whenDelivered(onDelivered);
            if (!flushed) {
                outbox.whenFlushed(() -> {
                    flushed = true;
                    finishIfDone();
                });
            }
        }

        private void finishIfDone() {
            // the inbox's wake-up may come as a task after the drain ended, or twice: look again
            if (!delivered && delivery.waitingMessages() == 0) {
                delivered = true;
            }
            if (delivered && flushed) {
                finish(true);
            }
        }

        private void finish(boolean completed) {
            if (finished) {
                return;
            }
            if (completed && delivery.waitingMessages() > 0) {
                // a read that was under way when reading stopped (io_uring's recv in flight) landed since: wait for
                // it to be taken too
                delivered = false;
                delivery.whenDelivered(onDelivered);
                return;
            }
            finished = true;
            draining = null;
            if (deadline != null) {
                deadline.cancel(false);
            }
            delivery.whenDelivered(null);
            outbox.whenFlushed(null);
            ChannelSession<T> s = session;
            if (s != null && state != ConnectionState.CLOSED) {
                s.close(closedByApplication()); // with TLS, close_notify goes out first
            } else {
                closeOnLoop();
            }
            closeFuture.whenComplete((ok, error) -> {
                long left = delivery.waitingMessages(); // a read landing as the channel closed can still add some
                // every accepted send that failed meanwhile: cut short by the close, or lost when the server hung up
                long unsent = outbox.failedBytes() - failedAtStart;
                result.complete(new Drained(
                        completed && left == 0 && unsent == 0,
                        delivery.takenMessages() - takenAtStart,
                        left,
                        counters.get(Counters.MESSAGES_OUT) - sentAtStart,
                        unsent));
            });
        }
    }

    /**
     * Closes the channel now, without waiting for unsent bytes: for a client whose close timeout has passed. Sends
     * still waiting fail, and the connection ends as usual. Returns the close future.
     */
    CompletableFuture<Void> forceClose() {
        closeRequested.set(true);
        Connector.onLoop(loop, () -> {
            ChannelSession<T> s = session;
            if (s != null && state != ConnectionState.CLOSED) {
                s.close(closedByApplication());
            } else {
                closeOnLoop(); // nothing to cut short: the usual close, which does nothing once closed
            }
        });
        return closeFuture;
    }

    private void closeOnLoop() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        reconnector.cancel();
        ChannelSession<T> s = session;
        if (s != null) {
            delivery.stopReading(s.channel()); // nothing new comes in while the sends go out
            s.closeAfterFlush(closedByApplication(), config.closeTimeout());
        } else if (connecting != null && connecting.channel() != null) {
            connecting.channel().close(); // the attempt fails, and attemptFailed finishes the close
        } else {
            terminate(closedByApplication(), null);
        }
    }

    /**
     * Terminal: fails what waits, tells the listener once, completes the futures; nothing follows it. {@code
     * connectError} is the error for a connect future still pending (null: derive one from {@code cause}). Events go
     * out before any future completes, so a caller woken by a future sees every event already delivered.
     */
    private void terminate(ConnectionClosedException cause, ConnectFailedException connectError) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        state = ConnectionState.CLOSED;
        lastCause = cause;
        reconnector.cancel();
        if (connecting != null) { // an attempt whose resolve the closing client dropped never ends by itself
            attemptEnded(connecting, cause);
        }
        if (draining != null) { // closed under it (forced by the client's close): its result follows the close
            draining.finish(false);
        }
        delivery.end();
        fire(new ClosedEvent(this)); // exactly once, whether it ever opened or not
        outbox.end(cause); // after the event: buffered sends and writability waiters fail
        if (!connectFuture.isDone()) {
            connectFuture.completeExceptionally(
                    connectError != null
                            ? connectError
                            : new ConnectFailedException(
                                    "connect to " + target() + " did not complete: " + cause.getMessage(), cause));
        }
        closeFuture.complete(null);
    }

    // ---- Outbox.Owner ----

    @Override
    public ConnectionClosedException closeCause() {
        // a channel that is closing fails its writes before it reports itself inactive: prefer its own reason
        ChannelSession<T> s = session;
        return s != null && s.cause() != null ? s.cause() : lastCause;
    }

    @Override
    public boolean isClosing() {
        return closeRequested.get();
    }

    @Override
    public String describe() {
        return "connection " + id + " to " + target();
    }

    // ---- helpers ----

    /** An attempt failed, or was abandoned: counted, and its recorder told, once. */
    private void attemptEnded(ChannelSession<?> attempt, Throwable error) {
        if (attempt.endAttempt(error)) {
            counters.add(Counters.FAILED_CONNECTS, 1);
        }
    }

    /** Returns why the connection closed for good if it failed (not closed by the application), else null. */
    private Throwable finalFailure() {
        ConnectionClosedException cause = lastCause;
        return state == ConnectionState.CLOSED && cause != null && cause.reason() == Reason.FAILURE ? cause : null;
    }

    private ConnectionClosedException closedByApplication() {
        return new ConnectionClosedException(describe() + " was closed by the application", Reason.APPLICATION, null);
    }

    private String target() {
        ChannelSession<T> s = session;
        return s != null
                ? s.target()
                : ConfigText.hostAndPort(config.remoteAddresses().get(0));
    }

    private void fire(ConnectionEvent event) {
        Callbacks.fire(config.listener(), event, id);
    }
}
