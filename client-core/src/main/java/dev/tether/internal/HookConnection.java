/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.Connection;
import dev.tether.ConnectionClosedException;
import dev.tether.ConnectionClosedException.Reason;
import dev.tether.ConnectionState;
import dev.tether.ConnectionStats;
import dev.tether.DrainResult;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs the on-connect hook on a new channel, and is what the hook sees: its connection, except that sends go out on
 * that channel ahead of everyone else's, past the gate that holds the others back until the hook is done. Those
 * sends are not counted against the write limits. A send made after the channel closed fails.
 *
 * <p>A hook that throws, fails, or does not complete within the connect timeout closes the channel with a message
 * saying so; the reconnect policy decides what follows.
 */
final class HookConnection<T> implements Connection<T> {
    private final Connection<T> connection;
    private final ChannelSession<T> session;
    private final Outbox outbox;
    private final EventLoop loop;
    private final BooleanSupplier current;

    /** {@code current} says whether {@code session} is still the connection's open channel. */
    HookConnection(
            Connection<T> connection,
            ChannelSession<T> session,
            Outbox outbox,
            EventLoop loop,
            BooleanSupplier current) {
        this.connection = connection;
        this.session = session;
        this.outbox = outbox;
        this.loop = loop;
        this.current = current;
    }

    /** Runs {@code hook} with this view; {@code ready} runs on the loop once its stage completes normally. */
    void run(Function<? super Connection<T>, ? extends CompletionStage<?>> hook, Duration timeout, Runnable ready) {
        CompletionStage<?> stage;
        try {
            stage = Objects.requireNonNull(hook.apply(this), "onConnect hook returned null");
        } catch (Throwable t) {
            Callbacks.rethrowIfFatal(t);
            session.fail(failed("failed: " + t, t));
            return;
        }
        // a stage that never completes (a login reply that never comes) must not leave connect() pending for ever
        ScheduledFuture<?> deadline = loop.schedule(
                () -> {
                    if (current.getAsBoolean() && session.cause() == null) {
                        session.fail(failed(
                                "did not complete within " + timeout + " (the connect timeout)",
                                new TimeoutException("onConnect hook")));
                    }
                },
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        stage.whenComplete((ok, error) -> Connector.onLoop(loop, () -> {
            deadline.cancel(false);
            if (!current.getAsBoolean() || session.cause() != null) {
                return; // the channel died, or is closing, while the hook ran
            }
            if (error != null) {
                Throwable t = Callbacks.unwrap(error);
                session.fail(failed("failed: " + t, t));
            } else {
                ready.run();
            }
        }));
    }

    private ConnectionClosedException failed(String what, Throwable cause) {
        return new ConnectionClosedException(
                "connection " + connection.id() + " to " + session.target() + " failed: the onConnect hook " + what,
                Reason.FAILURE,
                cause);
    }

    @Override
    public CompletableFuture<Void> send(T message) {
        return outbox.sendFirst(session::channel, Objects.requireNonNull(message, "message"), current);
    }

    @Override
    public String id() {
        return connection.id();
    }

    @Override
    public ConnectionState state() {
        return connection.state();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public Optional<T> receive(Duration timeout) throws InterruptedException {
        return connection.receive(timeout);
    }

    @Override
    public List<T> receive(int max, Duration timeout) throws InterruptedException {
        return connection.receive(max, timeout);
    }

    @Override
    public Flow.Publisher<T> messages() {
        return connection.messages();
    }

    @Override
    public boolean isWritable() {
        return connection.isWritable();
    }

    @Override
    public CompletableFuture<Void> whenWritable() {
        return connection.whenWritable();
    }

    @Override
    public ConnectionStats stats() {
        return connection.stats();
    }

    @Override
    public CompletableFuture<DrainResult> drain(Duration timeout) {
        return connection.drain(timeout);
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return connection.closeFuture();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return connection.closeAsync();
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
