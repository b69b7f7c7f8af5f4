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
import dev.tether.ConnectionListener;
import dev.tether.ConnectionState;
import dev.tether.DisconnectedEvent;
import dev.tether.FrameDroppedEvent;
import dev.tether.GaveUpEvent;
import dev.tether.IdleTimeoutException;
import dev.tether.ReconnectScheduledEvent;
import dev.tether.SendBuffer;
import dev.tether.SendRejectedException;
import dev.tether.internal.pipeline.PipelineInitializer;
import dev.tether.internal.pipeline.PipelineSink;
import dev.tether.reconnect.ReconnectPolicy;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link Connection}: a logical link that outlives its channels. It connects, reconnects
 * under the {@link ReconnectPolicy}, runs the on-connect hook, buffers sends during an outage, and calls the
 * user's handler and listener.
 *
 * <p>Threads: every decision runs on the connection's own event loop ({@link #loop}), so the fields marked
 * "loop only" need no locks; public methods hop onto the loop. Fields read by other threads are volatile.
 */
final class DefaultConnection<T> implements Connection<T> {
    private static final Logger log = LoggerFactory.getLogger(DefaultConnection.class);

    private final String id;
    private final ClientConfig<T> config;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Connector connector;
    private final ConnectionListener listener;
    private final Inbox<T> inbox; // null: messages go to a handler
    private final Delivery<T> delivery;
    private final long maxPendingBytes; // sends on an open connection fail once this many bytes wait
    private final int highWaterMark; // unwritable at or over this many waiting bytes
    private final int lowWaterMark; // waiters on whenWritable wake below this many
    private final int frameOverhead; // the delimiter or length prefix the framing adds to each message
    private final InboxPublisher<T> publisher; // null unless messages go to the inbox
    private final Class<T> messageType;
    private final Charset charset;
    private final ReconnectPolicy policy;
    private final SendBuffer sendBuffer;
    private final Function<? super Connection<T>, ? extends CompletionStage<?>> hook;
    private final List<InetSocketAddress> endpoints;
    private final LoopAwareFuture<Connection<T>> connectFuture;
    private final LoopAwareFuture<Void> closeFuture;
    private final AtomicBoolean closeRequested = new AtomicBoolean();

    // Written on the loop, read by any thread.
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile InetSocketAddress remoteAddress;
    /** Why the last channel closed; for the messages of sends refused afterwards. */
    private volatile ConnectionClosedException lastCause;

    /** The open channel, or null while down; written on the loop, read anywhere for messages. */
    private volatile Session session;

    /**
     * Frame bytes of the sends accepted and not yet written to the socket or failed: those queued for the loop,
     * buffered during an outage, or in the channel's outbound buffer. Added by the sending thread before anything
     * is queued, so the write limits hold there; subtracted on the loop as each send completes.
     */
    private final AtomicLong pendingBytes = new AtomicLong();

    // Loop only.
    private Session connecting; // the attempt in progress, or null
    // Made on first use: most connections never buffer a send or retry, and a client may hold thousands of them.
    private ArrayDeque<PendingSend> buffered;
    private RandomGenerator random;
    private ReconnectLog reconnectLog;
    private long bufferedBytes;
    private int nextEndpoint;
    private int retries; // reconnect attempts scheduled in this outage; resets after a stable connection
    private int attemptsInStreak; // connect attempts since the last stable connection, this one included
    private int failedAttempts;
    private long outageStartNanos;
    private Duration previousDelay = Duration.ZERO;
    private boolean everConnected;
    private ScheduledFuture<?> retryTimer;
    private long connectedAtNanos; // when the current channel came up, on the loop's ticker
    private final List<CompletableFuture<Void>> writableWaiters = new ArrayList<>();
    private Channel flushPending; // the channel with writes not yet flushed, or null
    private boolean flushTaskQueued;
    private final Runnable flushTask = () -> {
        flushTaskQueued = false;
        flushNow();
    };
    /** A read is being delivered: sends made meanwhile (a handler's replies) are flushed when it completes. */
    private boolean reading;

    DefaultConnection(String id, ClientConfig<T> config, EventLoopGroup group, EventLoop loop, Connector connector) {
        this.id = id;
        this.config = config;
        this.group = group;
        this.loop = loop;
        this.connector = connector;
        this.listener = config.listener();
        this.inbox = config.handler().isEmpty() && config.batchHandler().isEmpty()
                ? new Inbox<>(config.inboxCapacity(), config.inboxCapacityBytes(), loop)
                : null;
        this.delivery =
                Delivery.of(config.handler().orElse(null), config.batchHandler().orElse(null), inbox, this);
        this.maxPendingBytes = config.writeBuffer().maxPendingBytes();
        this.highWaterMark = config.writeBuffer().highWaterMark();
        this.lowWaterMark = config.writeBuffer().lowWaterMark();
        this.frameOverhead =
                config.framing().delimiter().length + config.framing().lengthFieldSize();
        this.publisher =
                inbox == null ? null : new InboxPublisher<>(inbox, ForkJoinPool.commonPool(), this::finalFailure, id);
        this.messageType = config.codec().messageType();
        this.charset = config.codec().charset().orElse(StandardCharsets.UTF_8);
        this.policy = config.reconnect();
        this.sendBuffer = config.sendBuffer();
        this.hook = config.onConnect().orElse(null);
        this.endpoints = config.remoteAddresses();
        this.remoteAddress = endpoints.get(0);
        this.connectFuture = new LoopAwareFuture<>(group);
        this.closeFuture = new LoopAwareFuture<>(group);
    }

    // ---- started by DefaultTetherClient ----

    CompletableFuture<Connection<T>> connectFuture() {
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
        Objects.requireNonNull(message, "message");
        long size = frameSize(message);
        ClientException refusal = reserve(size);
        SendFuture future = new SendFuture(refusal == null ? size : 0);
        if (refusal != null) {
            future.fail(refusal);
            return future;
        }
        if (loop.inEventLoop()) {
            sendOnLoop(message, future);
        } else {
            try {
                loop.execute(() -> sendOnLoop(message, future));
            } catch (RejectedExecutionException terminated) {
                future.fail(refused()); // the loop is gone: nothing else touches the count now
            }
        }
        return future;
    }

    /**
     * Counts a send's bytes as waiting, in the sending thread, unless the limit in force would refuse it: the
     * {@link dev.tether.WriteBuffer} while connected, the {@link SendBuffer} while not. Checked before anything is
     * queued for the loop, so a sender that never looks at {@link #isWritable()} cannot fill memory with queued
     * tasks. Returns why the send is refused, or null if it was counted.
     */
    private ClientException reserve(long size) {
        if (state == ConnectionState.CLOSED) {
            return refused();
        }
        Session s = session;
        boolean open = s != null && s.gateOpen;
        if (!open && !sendBuffer.isEnabled()) {
            return bufferDisabled();
        }
        long before = pendingBytes.getAndAdd(size);
        if (open ? before >= maxPendingBytes : before + size > sendBuffer.maxBytes()) {
            pendingBytes.addAndGet(-size);
            return open ? unwritable(s, before) : bufferFull(before + " bytes wait");
        }
        return null;
    }

    @Override
    public Optional<T> receive(Duration timeout) throws InterruptedException {
        Object next = inboxFor("receive(timeout)", timeout).poll(nanos(timeout));
        return next == null || Inbox.isEnd(next) ? Optional.empty() : Optional.of(messageType.cast(next));
    }

    @Override
    public List<T> receive(int max, Duration timeout) throws InterruptedException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        Inbox<T> from = inboxFor("receive(max, timeout)", timeout);
        Object next = from.poll(nanos(timeout));
        if (next == null || Inbox.isEnd(next)) {
            return List.of();
        }
        List<T> messages = new ArrayList<>(Math.min(max, 64));
        do {
            messages.add(messageType.cast(next));
        } while (messages.size() < max && (next = from.pollNow()) != null && !Inbox.isEnd(next));
        return messages;
    }

    /** A wait in nanoseconds; a timeout longer than about 292 years waits that long. */
    private static long nanos(Duration timeout) {
        return timeout.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : timeout.toNanos();
    }

    private Inbox<T> inboxFor(String method, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
        }
        if (inbox == null) {
            throw new IllegalStateException(method + " is not available on connection " + id
                    + ": its client delivers messages to the handler set in its config");
        }
        Checks.notOnEventLoop(group, method);
        return inbox;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (closeRequested.compareAndSet(false, true)) {
            Connector.onLoop(loop, this::closeOnLoop);
        }
        return closeFuture;
    }

    @Override
    public void close() {
        Checks.notOnEventLoop(group, "Connection.close()");
        try {
            closeAsync().get(config.closeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted while closing connection " + id, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ClientException(
                    "connection " + id + " to " + target() + " did not close within " + config.closeTimeout(), e);
        }
    }

    @Override
    public String toString() {
        return "Connection{" + id + " to " + target() + ", " + state + "}";
    }

    // ---- connecting and reconnecting, on the loop ----

    private void attempt() {
        retryTimer = null;
        if (state == ConnectionState.CLOSED) {
            return;
        }
        InetSocketAddress endpoint = endpoints.get(nextEndpoint++ % endpoints.size());
        Session attempt = new Session(endpoint);
        connecting = attempt;
        attemptsInStreak++;
        connector
                .connect(
                        endpoint,
                        loop,
                        new PipelineInitializer(config, attempt, id, ConfigText.hostAndPort(endpoint)),
                        channel -> attempt.channel = channel,
                        () -> state == ConnectionState.CLOSED)
                .whenComplete((channel, error) -> {
                    connecting = null;
                    if (error != null) {
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
            terminate(closedByApplication());
            return;
        }
        failedAttempts++;
        if (!everConnected && !config.retryInitialConnect()) {
            log.debug("connection {}: {}", id, error.getMessage());
            terminate(new ConnectionClosedException(error.getMessage(), Reason.FAILURE, error), error);
            return;
        }
        scheduleRetry(error);
    }

    private void scheduleRetry(ClientException cause) {
        long now = loop.ticker().nanoTime();
        if (retries == 0) {
            outageStartNanos = now;
        }
        retries++;
        if (random == null) {
            random = policy.seed().isPresent()
                    ? new SplittableRandom(policy.seed().getAsLong())
                    : new SplittableRandom();
            reconnectLog = new ReconnectLog();
        }
        Optional<Duration> delay = policy.nextDelay(retries, previousDelay, random);
        if (delay.isEmpty()) {
            giveUp(cause, now);
            return;
        }
        previousDelay = delay.get();
        state = everConnected ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING;
        InetSocketAddress next = endpoints.get(nextEndpoint % endpoints.size());
        reconnectLog.retrying(id, cause, retries, delay.get(), now);
        ReconnectScheduledEvent event = new ReconnectScheduledEvent(this, retries, delay.get(), cause, next);
        fire(event, l -> l.onReconnectScheduled(event));
        retryTimer = loop.schedule(this::attempt, delay.get().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void giveUp(ClientException last, long now) {
        String took = String.format(java.util.Locale.ROOT, "%.1f s", (now - outageStartNanos) / 1e9);
        String summary = failedAttempts + " failed attempt" + (failedAttempts == 1 ? "" : "s") + " in " + took
                + " (last cause: " + last.getMessage() + ")";
        log.warn("connection {}: gave up reconnecting to {} after {}", id, target(), summary);
        GaveUpEvent event = new GaveUpEvent(this, failedAttempts, last);
        fire(event, l -> l.onGaveUp(event));
        terminate(
                new ConnectionClosedException(
                        "connection " + id + " to " + target() + " gave up reconnecting after " + summary,
                        Reason.FAILURE,
                        last),
                new ConnectFailedException("connect to " + target() + " failed after " + summary, last));
    }

    private void channelUp(Session s) {
        if (state == ConnectionState.CLOSED || closeRequested.get()) {
            s.channel.close();
            terminate(closedByApplication());
            return;
        }
        session = s;
        remoteAddress = (InetSocketAddress) s.channel.remoteAddress();
        everConnected = true;
        state = ConnectionState.CONNECTED;
        if (inbox != null) {
            inbox.attach(s.channel);
        }
        connectedAtNanos = loop.ticker().nanoTime();
        int attempt = attemptsInStreak;
        fire(new ConnectedEvent(this, remoteAddress, attempt), l -> l.onConnected(this));
        runHook(s);
    }

    /** The link that just went down had been up for the policy's stable period: the next outage starts afresh. */
    private void stable() {
        retries = 0;
        attemptsInStreak = 0;
        failedAttempts = 0;
        previousDelay = Duration.ZERO;
        if (reconnectLog != null) {
            reconnectLog.reset();
        }
    }

    private void runHook(Session s) {
        if (hook == null) {
            openGate(s);
            return;
        }
        CompletionStage<?> stage;
        try {
            stage = Objects.requireNonNull(hook.apply(new HookView(s)), "onConnect hook returned null");
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            s.fail(hookFailure(s, t));
            return;
        }
        // a stage that never completes (a login reply that never comes) must not leave connect() pending for ever
        ScheduledFuture<?> deadline = loop.schedule(
                () -> {
                    if (session == s && !s.gateOpen) {
                        s.fail(hookTimedOut(s));
                    }
                },
                config.connectTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
        stage.whenComplete((ok, error) -> Connector.onLoop(loop, () -> {
            deadline.cancel(false);
            if (session != s || s.cause != null) {
                return; // the channel died, or is closing, while the hook ran
            }
            if (error != null) {
                s.fail(hookFailure(s, Callbacks.unwrap(error)));
            } else {
                openGate(s);
            }
        }));
    }

    /** The channel is ready for everyone: the hook's sends went first, now the buffered ones, in order. */
    private void openGate(Session s) {
        while (buffered != null && !buffered.isEmpty()) {
            PendingSend pending = buffered.poll();
            bufferedBytes -= pending.size;
            s.channel.write(pending.message).addListener(pending.future);
        }
        s.channel.flush();
        s.gateOpen = true;
        connectFuture.complete(this);
        wakeWritableWaiters();
    }

    private void channelDown(Session s, ConnectionClosedException cause) {
        if (session != s) {
            return;
        }
        session = null;
        lastCause = cause;
        // reset backoff only after a stable link, or a server that accepts and drops at once defeats it; a link
        // that did not hold that long counts as a failed attempt, so giving up reports it
        if (loop.ticker().nanoTime() - connectedAtNanos >= policy.resetAfter().toNanos()) {
            stable();
        } else {
            failedAttempts++;
        }
        boolean ending = closeRequested.get() || cause.reason() == Reason.APPLICATION || !policy.isEnabled();
        if (!ending) {
            state = ConnectionState.RECONNECTING; // before the listener hears of it: the link is down
        }
        log.debug("connection {}: {}", id, cause.getMessage());
        fire(new DisconnectedEvent(this, cause), l -> l.onDisconnected(this, cause));
        if (ending) {
            terminate(cause);
        } else {
            scheduleRetry(cause);
        }
    }

    /**
     * Closes the channel now, without waiting for unsent bytes: for a client whose close timeout has passed. Sends
     * still waiting fail, and the connection ends as usual. Returns the close future.
     */
    CompletableFuture<Void> forceClose() {
        closeRequested.set(true);
        Connector.onLoop(loop, () -> {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            Session s = session;
            if (s != null) {
                if (s.cause == null) {
                    s.cause = closedByApplication();
                }
                s.channel.close();
            } else {
                closeOnLoop();
            }
        });
        return closeFuture;
    }

    private void closeOnLoop() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
        Session s = session;
        if (s != null) {
            if (s.cause == null) {
                s.cause = closedByApplication();
            }
            // An empty write after everything sent so far completes once those bytes reached the socket; close
            // then, or after the close timeout if the peer does not read.
            Channel ch = s.channel;
            ChannelHandlerContext first = ch.pipeline().firstContext();
            ChannelFuture flushed =
                    first == null ? ch.newSucceededFuture() : first.writeAndFlush(Unpooled.EMPTY_BUFFER);
            flushed.addListener(ChannelFutureListener.CLOSE);
            ScheduledFuture<?> force =
                    loop.schedule((Runnable) ch::close, config.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
            ch.closeFuture().addListener(closed -> force.cancel(false));
        } else if (connecting != null && connecting.channel != null) {
            connecting.channel.close(); // the attempt fails, and attemptFailed finishes the close
        } else {
            terminate(closedByApplication());
        }
    }

    /** Terminal: fails what waits, tells the listener once, completes the futures. Nothing follows it. */
    private void terminate(ConnectionClosedException cause) {
        terminate(cause, null);
    }

    /**
     * Terminal, with the error for a connect future still pending (null: derive one from {@code cause}). Events go
     * out before any future completes, so a caller woken by a future sees every event already delivered.
     */
    private void terminate(ConnectionClosedException cause, ConnectFailedException connectError) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        state = ConnectionState.CLOSED;
        lastCause = cause;
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
        while (buffered != null && !buffered.isEmpty()) {
            buffered.poll()
                    .future
                    .fail(new ConnectionClosedException(
                            "buffered send not written: " + cause.getMessage(), cause.reason(), cause));
        }
        bufferedBytes = 0;
        if (!writableWaiters.isEmpty()) {
            ConnectionClosedException closed = new ConnectionClosedException(
                    "connection " + id + " closed: " + cause.getMessage(), cause.reason(), cause);
            writableWaiters.forEach(waiter -> waiter.completeExceptionally(closed));
            writableWaiters.clear();
        }
        if (inbox != null) {
            inbox.end();
        }
        fire(new ClosedEvent(this), l -> l.onClosed(this)); // exactly once, whether it ever opened or not
        if (!connectFuture.isDone()) {
            connectFuture.completeExceptionally(
                    connectError != null
                            ? connectError
                            : new ConnectFailedException(
                                    "connect to " + target() + " did not complete: " + cause.getMessage(), cause));
        }
        closeFuture.complete(null);
    }

    // ---- sends, on the loop ----

    private void sendOnLoop(T message, SendFuture future) {
        Session s = session;
        if (s != null && s.gateOpen) {
            write(s.channel, message, future); // the write limit was applied when the send was counted
        } else if (state == ConnectionState.CLOSED) {
            future.fail(refused());
        } else if (!sendBuffer.isEnabled()) {
            future.fail(bufferDisabled());
        } else {
            long size = future.size;
            if (buffered == null) {
                buffered = new ArrayDeque<>();
            }
            if (buffered.size() >= sendBuffer.maxMessages() || bufferedBytes + size > sendBuffer.maxBytes()) {
                future.fail(bufferFull(buffered.size() + " messages, " + bufferedBytes + " bytes"));
                return;
            }
            buffered.add(new PendingSend(message, future, size));
            bufferedBytes += size;
        }
    }

    /** The bytes a message takes on the wire: its encoding plus the framing's delimiter or length prefix. */
    private long frameSize(T message) {
        if (message instanceof byte[] bytes) {
            return bytes.length + frameOverhead;
        }
        String text = (String) message;
        long encoded = charset == StandardCharsets.UTF_8
                ? ByteBufUtil.utf8Bytes(text)
                : charset == StandardCharsets.ISO_8859_1 || charset == StandardCharsets.US_ASCII
                        ? text.length()
                        : text.getBytes(charset).length;
        return encoded + frameOverhead;
    }

    private void hookSend(Session s, T message, SendFuture future) {
        if (session == s && s.channel.isActive()) {
            write(s.channel, message, future);
        } else {
            future.fail(refused());
        }
    }

    /**
     * Writes without flushing, and makes sure one flush follows: sends that come together (a burst from another
     * thread, or several from a handler during one read) share one flush, so one system call, instead of one each.
     * The flush runs as a task on the loop, after the tasks already queued, which include the burst's other sends.
     */
    private void write(Channel channel, Object message, SendFuture future) {
        channel.write(message).addListener(future);
        if (flushPending != channel) {
            if (flushPending != null) {
                flushPending.flush(); // a channel of an earlier session: flush it now, and this one later
            }
            flushPending = channel;
        }
        if (!reading && !flushTaskQueued) {
            flushTaskQueued = true;
            loop.execute(flushTask);
        }
    }

    private void flushNow() {
        Channel channel = flushPending;
        flushPending = null;
        if (channel != null) {
            channel.flush();
        }
    }

    private SendRejectedException unwritable(Session s, long waiting) {
        return new SendRejectedException("cannot send: connection " + id + " to " + s.target + " is not writable ("
                + waiting + " bytes wait to be written, at or over the limit of " + maxPendingBytes + " set by "
                + config.writeBuffer() + "); wait for whenWritable() or send less");
    }

    private SendRejectedException bufferFull(String waiting) {
        return new SendRejectedException("cannot send: the send buffer of connection " + id + " is full ("
                + waiting + "; limits " + sendBuffer.maxMessages() + " messages, " + sendBuffer.maxBytes()
                + " bytes) while it is " + stateText() + " to " + target());
    }

    private ConnectionClosedException bufferDisabled() {
        return new ConnectionClosedException(
                "cannot send: connection " + id + " to " + target() + " is " + stateText()
                        + ", and SendBuffer.disabled() rejects sends until it is connected",
                Reason.FAILURE,
                lastCause);
    }

    @Override
    public Flow.Publisher<T> messages() {
        if (publisher == null) {
            throw new IllegalStateException("messages() is not available on connection " + id
                    + ": its client delivers messages to the handler set in its config");
        }
        return publisher;
    }

    @Override
    public boolean isWritable() {
        Session s = session;
        return s != null && s.gateOpen && pendingBytes.get() < highWaterMark;
    }

    @Override
    public CompletableFuture<Void> whenWritable() {
        CompletableFuture<Void> writable = new LoopAwareFuture<>(group);
        Connector.onLoop(loop, () -> {
            if (state == ConnectionState.CLOSED) {
                writable.completeExceptionally(refused());
            } else if (isWritable()) {
                writable.complete(null);
            } else {
                writableWaiters.add(writable);
            }
        });
        return writable;
    }

    /** Completes the waiters of {@link #whenWritable()} if the connection is writable now; on the loop. */
    private void wakeWritableWaiters() {
        if (!writableWaiters.isEmpty() && isWritable()) {
            List<CompletableFuture<Void>> ready = new ArrayList<>(writableWaiters);
            writableWaiters.clear();
            ready.forEach(waiter -> waiter.complete(null));
        }
    }

    // ---- helpers ----

    /** Returns why the connection closed for good if it failed (not closed by the application), else null. */
    private Throwable finalFailure() {
        ConnectionClosedException cause = lastCause;
        return state == ConnectionState.CLOSED && cause != null && cause.reason() == Reason.FAILURE ? cause : null;
    }

    private ConnectionClosedException refused() {
        // a channel that is closing fails its writes before it reports itself inactive: prefer its own reason
        Session s = session;
        ConnectionClosedException cause = s != null && s.cause != null ? s.cause : lastCause;
        String why = cause != null ? cause.getMessage() : "connection " + id + " to " + target() + " is " + stateText();
        return new ConnectionClosedException(
                "cannot send: " + why, cause != null ? cause.reason() : Reason.FAILURE, cause);
    }

    private ConnectionClosedException closedByApplication() {
        return new ConnectionClosedException(
                "connection " + id + " to " + target() + " was closed by the application", Reason.APPLICATION, null);
    }

    private ConnectionClosedException hookTimedOut(Session s) {
        return new ConnectionClosedException(
                "connection " + id + " to " + s.target + " failed: the onConnect hook did not complete within "
                        + config.connectTimeout() + " (the connect timeout)",
                Reason.FAILURE,
                new TimeoutException("onConnect hook"));
    }

    private ConnectionClosedException hookFailure(Session s, Throwable t) {
        return new ConnectionClosedException(
                "connection " + id + " to " + s.target + " failed: the onConnect hook failed: " + t, Reason.FAILURE, t);
    }

    private String target() {
        Session s = session;
        return ConfigText.hostAndPort(s != null ? s.endpoint : endpoints.get(0));
    }

    private String stateText() {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    private void fire(ConnectionEvent event, Consumer<ConnectionListener> specific) {
        try {
            specific.accept(listener);
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            log.warn(
                    "connection {}: listener threw on {}; carrying on",
                    id,
                    event.getClass().getSimpleName(),
                    t);
        }
        try {
            listener.onEvent(event);
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            log.warn(
                    "connection {}: listener threw in onEvent({}); carrying on",
                    id,
                    event.getClass().getSimpleName(),
                    t);
        }
    }

    /** One channel of this connection: receives its pipeline's callbacks, on the loop. */
    private final class Session implements PipelineSink {
        final InetSocketAddress endpoint;
        final String target;
        Channel channel; // set as soon as the connect attempt creates it
        ConnectionClosedException cause; // the first reason to close this channel wins
        volatile boolean gateOpen; // hook done and buffer flushed: sends go straight to the channel; read by senders

        Session(InetSocketAddress endpoint) {
            this.endpoint = endpoint;
            this.target = ConfigText.hostAndPort(endpoint);
        }

        void fail(ConnectionClosedException error) {
            if (cause == null) {
                cause = error;
                log.warn("{}", error.getMessage());
            }
            channel.close();
        }

        @Override
        public void onMessage(Object message) {
            reading = true;
            if (!messageType.isInstance(message)) {
                log.warn(
                        "connection {}: dropped a {} that reached the end of the pipeline; expected {}",
                        id,
                        message.getClass().getName(),
                        messageType.getSimpleName());
                ReferenceCountUtil.release(message);
                return;
            }
            delivery.message(messageType.cast(message));
        }

        @Override
        public void onReadComplete() {
            delivery.readComplete();
            reading = false;
            flushNow(); // what the handlers sent during this read, in one flush, without waiting for a task
        }

        @Override
        public void onFrameDropped(ClientException error) {
            log.warn("connection {} to {}: {}", id, target, error.getMessage());
            fire(
                    new FrameDroppedEvent(DefaultConnection.this, error),
                    l -> l.onFrameDropped(DefaultConnection.this, error));
        }

        @Override
        public void onFatal(Throwable error) {
            fail(new ConnectionClosedException(describe(error), Reason.FAILURE, error));
        }

        @Override
        public void onInactive() {
            onReadComplete(); // a read cut short by the close still hands over what it decoded
            ConnectionClosedException why = cause != null
                    ? cause
                    : new ConnectionClosedException(
                            "connection " + id + " to " + target + " was closed by the peer", Reason.PEER, null);
            channelDown(this, why);
        }

        private String describe(Throwable error) {
            String prefix = "connection " + id + " to " + target;
            if (error instanceof IOException
                    && String.valueOf(error.getMessage()).contains("reset")) {
                return prefix + " was reset by the peer";
            }
            if (error instanceof IdleTimeoutException) {
                return prefix + " timed out: " + error.getMessage();
            }
            if (error instanceof ClientException) {
                return prefix + " closed after a protocol error: " + error.getMessage();
            }
            return prefix + " failed: " + error;
        }
    }

    /** What the on-connect hook sees: this connection, except that its sends go out before everyone else's. */
    private final class HookView implements Connection<T> {
        private final Session session;

        HookView(Session session) {
            this.session = session;
        }

        @Override
        public CompletableFuture<Void> send(T message) {
            Objects.requireNonNull(message, "message");
            SendFuture future = new SendFuture(0); // the hook's sends bypass the limits: they are not counted
            Connector.onLoop(loop, () -> hookSend(session, message, future));
            return future;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public ConnectionState state() {
            return DefaultConnection.this.state();
        }

        @Override
        public boolean isOpen() {
            return DefaultConnection.this.isOpen();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return DefaultConnection.this.remoteAddress();
        }

        @Override
        public Optional<T> receive(Duration timeout) throws InterruptedException {
            return DefaultConnection.this.receive(timeout);
        }

        @Override
        public List<T> receive(int max, Duration timeout) throws InterruptedException {
            return DefaultConnection.this.receive(max, timeout);
        }

        @Override
        public Flow.Publisher<T> messages() {
            return DefaultConnection.this.messages();
        }

        @Override
        public boolean isWritable() {
            return DefaultConnection.this.isWritable();
        }

        @Override
        public CompletableFuture<Void> whenWritable() {
            return DefaultConnection.this.whenWritable();
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return DefaultConnection.this.closeFuture();
        }

        @Override
        public CompletableFuture<Void> closeAsync() {
            return DefaultConnection.this.closeAsync();
        }

        @Override
        public void close() {
            DefaultConnection.this.close();
        }
    }

    /** A send waiting in the buffer for the connection to come back. */
    private final class PendingSend {
        final Object message;
        final SendFuture future;
        final long size;

        PendingSend(Object message, SendFuture future, long size) {
            this.message = message;
            this.future = future;
            this.size = size;
        }
    }

    /** The future of one send: the channel's write listener too, so a send allocates one object for both. */
    private final class SendFuture extends LoopAwareFuture<Void> implements ChannelFutureListener {
        /** Frame bytes counted in {@link #pendingBytes} until this send completes; zero once released. */
        private long size;

        SendFuture(long size) {
            super(group);
            this.size = size;
        }

        /** Fails the send and stops counting its bytes; on the loop, or on the sender's thread once the loop is gone. */
        void fail(Throwable error) {
            release();
            completeExceptionally(error);
        }

        @Override
        public void operationComplete(ChannelFuture written) {
            if (written.isSuccess()) {
                release();
                complete(null);
            } else if (written.cause() instanceof ClosedChannelException) {
                fail(refused());
            } else {
                fail(written.cause());
            }
        }

        private void release() {
            if (size != 0) {
                long waiting = pendingBytes.addAndGet(-size);
                size = 0;
                // below the low mark, or nothing left at all (a low mark of 0 is never undercut)
                if ((waiting < lowWaterMark || waiting == 0) && loop.inEventLoop()) {
                    wakeWritableWaiters();
                }
            }
        }
    }
}
