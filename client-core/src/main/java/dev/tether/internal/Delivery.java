/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.BatchHandler;
import dev.tether.ClientConfig;
import dev.tether.Connection;
import dev.tether.MessageHandler;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a connection's decoded messages go: its {@link MessageHandler}, its {@link BatchHandler}, or its inbox for
 * {@code receive} and the publisher. Chosen once, when the connection is made, so a message meets no check of which
 * it is. Called on the connection's event loop: {@link #message} for each message of a read, {@link #readComplete}
 * when the read is over. Code of the user's that throws is logged with the connection's id, and delivery goes on.
 *
 * <p>The pull side ({@link #receive(Duration)}, {@link #messages()}) exists only for the inbox; the handlers' deliveries
 * refuse it with {@link IllegalStateException}.
 */
abstract sealed class Delivery<T> permits Delivery.ToHandler, Delivery.ToBatchHandler, Delivery.ToInbox {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    /**
     * Returns the delivery the config asks for: to its handler if one is set, else to its batch handler, else to an
     * inbox (with its publisher, whose signals run on the config's publisher executor).
     *
     * @param failure why the connection failed for good, or null: what the publisher ends its subscribers with
     */
    static <T> Delivery<T> of(
            ClientConfig<T> config,
            Connection<T> connection,
            EventLoopGroup group,
            EventLoop loop,
            Supplier<Throwable> failure) {
        Optional<MessageHandler<T>> handler = config.handler();
        if (handler.isPresent()) {
            return new ToHandler<>(handler.get(), connection);
        }
        Optional<BatchHandler<T>> batchHandler = config.batchHandler();
        if (batchHandler.isPresent()) {
            return new ToBatchHandler<>(batchHandler.get(), connection);
        }
        Inbox<T> inbox = new Inbox<>(config.inboxCapacity(), config.inboxCapacityBytes(), loop);
        return new ToInbox<>(
                inbox,
                new InboxPublisher<>(inbox, config.publisherExecutor(), failure, connection.id()),
                config.codec().messageType(),
                group,
                connection.id());
    }

    abstract void message(T message);

    abstract void readComplete();

    /** A channel opened (again, after a reconnect); on the loop. */
    void attach(Channel channel) {}

    /** The connection is closed for good; on the loop. */
    void end() {}

    /** A drain starts: no more reads from {@code channel} (the current one, or null while down); on the loop. */
    void stopReading(Channel channel) {
        if (channel != null) {
            channel.config().setAutoRead(false);
        }
    }

    /**
     * Runs {@code task} on the loop once every message read has been delivered (a handler's already were), at once if
     * so; null cancels.
     */
    void whenDelivered(Runnable task) {
        if (task != null) {
            task.run();
        }
    }

    /** Messages read and not yet delivered; from any thread. */
    long waitingMessages() {
        return 0;
    }

    /** Messages taken by receivers so far; a handler's are delivered as they are read, so none. From any thread. */
    long takenMessages() {
        return 0;
    }

    /** The inbox's measure of the messages read and not yet delivered; from any thread. */
    long waitingBytes() {
        return 0;
    }

    Optional<T> receive(Duration timeout) throws InterruptedException {
        checkTimeout(timeout);
        throw handlerSet("receive(timeout)");
    }

    List<T> receive(int max, Duration timeout) throws InterruptedException {
        checkMax(max);
        checkTimeout(timeout);
        throw handlerSet("receive(max, timeout)");
    }

    static void checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
        }
    }

    static void checkMax(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
    }

    Flow.Publisher<T> messages() {
        throw handlerSet("messages()");
    }

    abstract String id();

    private IllegalStateException handlerSet(String method) {
        return new IllegalStateException(method + " is not available on connection " + id()
                + ": its client delivers messages to the handler set in its config");
    }

    /** Each message to the handler at once, on the I/O thread. */
    static final class ToHandler<T> extends Delivery<T> {
        private final MessageHandler<T> handler;
        private final Connection<T> connection;

        ToHandler(MessageHandler<T> handler, Connection<T> connection) {
            this.handler = handler;
            this.connection = connection;
        }

        @Override
        void message(T message) {
            try {
                handler.onMessage(connection, message);
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                log.warn("connection {}: message handler threw; carrying on with the next message", connection.id(), t);
            }
        }

        @Override
        void readComplete() {}

        @Override
        String id() {
            return connection.id();
        }
    }

    /** The messages of each read together, when the read completes; the list is the handler's to keep. */
    static final class ToBatchHandler<T> extends Delivery<T> {
        private final BatchHandler<T> handler;
        private final Connection<T> connection;
        private List<T> batch; // the read in progress; null when it brought nothing yet

        ToBatchHandler(BatchHandler<T> handler, Connection<T> connection) {
            this.handler = handler;
            this.connection = connection;
        }

        @Override
        void message(T message) {
            if (batch == null) {
                batch = new ArrayList<>();
            }
            batch.add(message);
        }

        @Override
        void readComplete() {
            List<T> messages = batch;
            if (messages == null) {
                return;
            }
            batch = null;
            try {
                handler.onBatch(connection, messages);
            } catch (Throwable t) {
                Callbacks.rethrowIfFatal(t);
                log.warn("connection {}: batch handler threw; carrying on with the next read", connection.id(), t);
            }
        }

        @Override
        String id() {
            return connection.id();
        }
    }

    /** Into the inbox, handed over to receivers a whole read at a time, and to the publisher's subscriber. */
    static final class ToInbox<T> extends Delivery<T> {
        private final Inbox<T> inbox;
        private final InboxPublisher<T> publisher;
        private final Class<T> messageType;
        private final EventLoopGroup group;
        private final String id;

        ToInbox(Inbox<T> inbox, InboxPublisher<T> publisher, Class<T> messageType, EventLoopGroup group, String id) {
            this.inbox = inbox;
            this.publisher = publisher;
            this.messageType = messageType;
            this.group = group;
            this.id = id;
        }

        @Override
        void message(T message) {
            inbox.add(message);
        }

        @Override
        void readComplete() {
            inbox.flush();
        }

        @Override
        void attach(Channel channel) {
            inbox.attach(channel);
        }

        @Override
        void end() {
            inbox.end();
        }

        @Override
        void stopReading(Channel channel) {
            inbox.stopReading();
        }

        @Override
        void whenDelivered(Runnable task) {
            inbox.whenEmpty(task);
        }

        @Override
        long waitingMessages() {
            return inbox.queuedMessages();
        }

        @Override
        long takenMessages() {
            return inbox.takenMessages();
        }

        @Override
        long waitingBytes() {
            return inbox.queuedBytes();
        }

        @Override
        Optional<T> receive(Duration timeout) throws InterruptedException {
            Object next = inbox.poll(nanos("receive(timeout)", timeout));
            return next == null || Inbox.isEnd(next) ? Optional.empty() : Optional.of(messageType.cast(next));
        }

        @Override
        List<T> receive(int max, Duration timeout) throws InterruptedException {
            checkMax(max);
            Object next = inbox.poll(nanos("receive(max, timeout)", timeout));
            if (next == null || Inbox.isEnd(next)) {
                return List.of();
            }
            List<T> messages = new ArrayList<>(Math.min(max, 64));
            do {
                messages.add(messageType.cast(next));
            } while (messages.size() < max && (next = inbox.pollNow()) != null && !Inbox.isEnd(next));
            return messages;
        }

        @Override
        Flow.Publisher<T> messages() {
            return publisher;
        }

        @Override
        String id() {
            return id;
        }

        /** Checks a receive's timeout and thread; returns the wait in nanoseconds, at most about 292 years. */
        private long nanos(String method, Duration timeout) {
            checkTimeout(timeout);
            Checks.notOnEventLoop(group, method);
            return Checks.cappedNanos(timeout);
        }
    }
}
