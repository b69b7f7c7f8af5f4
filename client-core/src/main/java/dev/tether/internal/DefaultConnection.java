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
import dev.tether.ConnectionEvent;
import dev.tether.ConnectionListener;
import dev.tether.ConnectionState;
import dev.tether.DisconnectedEvent;
import dev.tether.FrameDroppedEvent;
import dev.tether.MessageHandler;
import dev.tether.internal.pipeline.PipelineSink;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one implementation of {@link Connection}: owns a channel, its state, and the calls to the user's handler and
 * listener. Pipeline callbacks arrive on the channel's event loop; the public methods may be called from any thread.
 */
final class DefaultConnection<T> implements Connection<T>, PipelineSink {
    private static final Logger log = LoggerFactory.getLogger(DefaultConnection.class);

    private final String id;
    private final ClientConfig<T> config;
    private final EventLoopGroup group;
    private final ConnectionListener listener;
    private final MessageHandler<T> handler; // null: messages go to the inbox
    private final Inbox<T> inbox;
    private final Class<T> messageType;
    private final String target;

    private final LoopAwareFuture<Connection<T>> connectFuture;
    private final LoopAwareFuture<Void> closeFuture;
    private final AtomicBoolean closeRequested = new AtomicBoolean();

    // Written on the event loop (or by connect() before the channel is registered), read by any thread.
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile Channel channel;
    private volatile InetSocketAddress remoteAddress;
    /** The first reason to close wins; set by whoever starts the close, read on the event loop. */
    private volatile ConnectionClosedException closeCause;

    DefaultConnection(String id, ClientConfig<T> config, EventLoopGroup group) {
        this.id = id;
        this.config = config;
        this.group = group;
        this.listener = config.listener();
        this.handler = config.handler().orElse(null);
        this.inbox = handler == null ? new Inbox<>(config.inboxCapacity()) : null;
        this.messageType = config.codec().messageType();
        this.target = ConfigText.hostAndPort(config);
        this.remoteAddress = InetSocketAddress.createUnresolved(config.host(), config.port());
        this.connectFuture = new LoopAwareFuture<>(group);
        this.closeFuture = new LoopAwareFuture<>(group);
    }

    // ---- connecting, driven by DefaultTetherClient ----

    CompletableFuture<Connection<T>> connectFuture() {
        return connectFuture;
    }

    boolean isCloseRequested() {
        return closeRequested.get();
    }

    /** Called on the event loop with the channel that is connecting, before its connect completes. */
    void connecting(Channel channel, InetSocketAddress address) {
        this.channel = channel;
        this.remoteAddress = address;
    }

    /** Called on the event loop when the TCP handshake completed. */
    void connected(Channel channel) {
        if (closeRequested.get()) {
            channel.close();
            connectFailed(new ConnectFailedException(
                    "connect to " + target + " was aborted: the connection was closed while connecting", null));
            return;
        }
        if (inbox != null) {
            inbox.attach(channel);
        }
        state = ConnectionState.CONNECTED;
        fire(new ConnectedEvent(this, remoteAddress), l -> l.onConnected(this));
        connectFuture.complete(this);
    }

    /** Called when the first connect failed, on whichever thread found out. The user never saw this connection. */
    void connectFailed(ConnectFailedException error) {
        state = ConnectionState.CLOSED;
        if (inbox != null) {
            inbox.end();
        }
        connectFuture.completeExceptionally(error);
        closeFuture.complete(null);
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
        Channel ch = channel;
        if (state != ConnectionState.CONNECTED || ch == null) {
            LoopAwareFuture<Void> failed = new LoopAwareFuture<>(group);
            failed.completeExceptionally(closedError("cannot send", null));
            return failed;
        }
        SendFuture future = new SendFuture();
        ch.writeAndFlush(message).addListener(future);
        return future;
    }

    @Override
    public Optional<T> receive(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
        }
        if (inbox == null) {
            throw new IllegalStateException("receive() is not available on connection " + id
                    + ": its client delivers messages to the MessageHandler set in its config");
        }
        Checks.notOnEventLoop(group, "receive()");
        return inbox.poll(timeout);
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (!closeRequested.compareAndSet(false, true)) {
            return closeFuture;
        }
        Channel ch = channel;
        if (ch == null) {
            return closeFuture; // still resolving: DefaultTetherClient sees closeRequested and aborts
        }
        if (closeCause == null) {
            closeCause = new ConnectionClosedException(
                    "connection " + id + " to " + target + " was closed by the application",
                    ConnectionClosedException.Reason.APPLICATION,
                    null);
        }
        if (state == ConnectionState.CONNECTING) {
            ch.close(); // fails the pending connect
            return closeFuture;
        }
        // An empty write after everything sent so far completes once those bytes reached the socket; close then,
        // or after the close timeout if the peer does not read.
        ChannelHandlerContext first = ch.pipeline().firstContext();
        ChannelFuture flushed = first == null ? ch.newSucceededFuture() : first.writeAndFlush(Unpooled.EMPTY_BUFFER);
        flushed.addListener(ChannelFutureListener.CLOSE);
        ScheduledFuture<?> force = ch.eventLoop()
                .schedule((Runnable) ch::close, config.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ch.closeFuture().addListener(closed -> force.cancel(false));
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
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new ClientException(
                    "connection " + id + " to " + target + " did not close within " + config.closeTimeout(), e);
        }
    }

    @Override
    public String toString() {
        return "Connection{" + id + " to " + target + ", " + state + "}";
    }

    // ---- PipelineSink, on the event loop ----

    @Override
    public void onMessage(Object message) {
        if (!messageType.isInstance(message)) {
            log.warn(
                    "connection {}: dropped a {} that reached the end of the pipeline; expected {}",
                    id,
                    message.getClass().getName(),
                    messageType.getSimpleName());
            ReferenceCountUtil.release(message);
            return;
        }
        T typed = messageType.cast(message);
        if (handler == null) {
            inbox.add(typed, channel);
            return;
        }
        try {
            handler.onMessage(this, typed);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            log.warn("connection {}: message handler threw; carrying on with the next message", id, t);
        }
    }

    @Override
    public void onFrameDropped(ClientException error) {
        log.warn("connection {} to {}: {}", id, target, error.getMessage());
        fire(new FrameDroppedEvent(this, error), l -> l.onFrameDropped(this, error));
    }

    @Override
    public void onFatal(Throwable cause) {
        if (closeCause == null) {
            closeCause =
                    new ConnectionClosedException(describe(cause), ConnectionClosedException.Reason.FAILURE, cause);
            log.warn("{}", closeCause.getMessage());
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    @Override
    public void onInactive() {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        state = ConnectionState.CLOSED;
        ConnectionClosedException cause = closeCause;
        if (cause == null) {
            cause = new ConnectionClosedException(
                    "connection " + id + " to " + target + " was closed by the peer",
                    ConnectionClosedException.Reason.PEER,
                    null);
            closeCause = cause;
        }
        ConnectionClosedException reason = cause;
        log.debug("connection {}: {}", id, reason.getMessage());
        if (inbox != null) {
            inbox.end();
        }
        fire(new DisconnectedEvent(this, reason), l -> l.onDisconnected(this, reason));
        fire(new ClosedEvent(this), l -> l.onClosed(this));
        closeFuture.complete(null);
    }

    // ---- helpers ----

    private String describe(Throwable cause) {
        String prefix = "connection " + id + " to " + target;
        if (cause instanceof IOException && String.valueOf(cause.getMessage()).contains("reset")) {
            return prefix + " was reset by the peer";
        }
        if (cause instanceof ClientException) {
            return prefix + " closed after a protocol error: " + cause.getMessage();
        }
        return prefix + " failed: " + cause;
    }

    private ConnectionClosedException closedError(String action, Throwable writeCause) {
        ConnectionClosedException reason = closeCause;
        String why = reason != null ? reason.getMessage() : "connection " + id + " to " + target + " is " + state;
        return reason != null
                ? new ConnectionClosedException(action + ": " + why, reason.reason(), reason)
                : new ConnectionClosedException(
                        action + ": " + why, ConnectionClosedException.Reason.FAILURE, writeCause);
    }

    private void fire(ConnectionEvent event, Consumer<ConnectionListener> specific) {
        try {
            specific.accept(listener);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            log.warn(
                    "connection {}: listener threw on {}; carrying on",
                    id,
                    event.getClass().getSimpleName(),
                    t);
        }
        try {
            listener.onEvent(event);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            log.warn(
                    "connection {}: listener threw in onEvent({}); carrying on",
                    id,
                    event.getClass().getSimpleName(),
                    t);
        }
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError error) {
            throw error;
        }
    }

    /** The future of one send: the channel's write listener, so a send allocates one object for both. */
    private final class SendFuture extends LoopAwareFuture<Void> implements ChannelFutureListener {
        SendFuture() {
            super(group);
        }

        @Override
        public void operationComplete(ChannelFuture written) {
            if (written.isSuccess()) {
                complete(null);
            } else if (written.cause() instanceof ClosedChannelException) {
                completeExceptionally(closedError("send failed", written.cause()));
            } else {
                completeExceptionally(written.cause());
            }
        }
    }
}
