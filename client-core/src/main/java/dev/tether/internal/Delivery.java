/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.BatchHandler;
import dev.tether.Connection;
import dev.tether.MessageHandler;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a connection's decoded messages go: its {@link MessageHandler}, its {@link BatchHandler}, or its inbox for
 * {@code receive} and the publisher. Chosen once, when the connection is made, so a message meets no check of which
 * it is. Called on the connection's event loop: {@link #message} for each message of a read, {@link #readComplete}
 * when the read is over. Code of the user's that throws is logged with the connection's id, and delivery goes on.
 */
abstract sealed class Delivery<T> permits Delivery.ToHandler, Delivery.ToBatchHandler, Delivery.ToInbox {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);

    /** Returns the handler's delivery if one is set, else the batch handler's, else the inbox's. */
    static <T> Delivery<T> of(
            MessageHandler<T> handler, BatchHandler<T> batchHandler, Inbox<T> inbox, Connection<T> connection) {
        if (handler != null) {
            return new ToHandler<>(handler, connection);
        }
        return batchHandler != null ? new ToBatchHandler<>(batchHandler, connection) : new ToInbox<>(inbox);
    }

    abstract void message(T message);

    abstract void readComplete();

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
    }

    /** Into the inbox, handed over to receivers a whole read at a time. */
    static final class ToInbox<T> extends Delivery<T> {
        private final Inbox<T> inbox;

        ToInbox(Inbox<T> inbox) {
            this.inbox = inbox;
        }

        @Override
        void message(T message) {
            inbox.add(message);
        }

        @Override
        void readComplete() {
            inbox.flush();
        }
    }
}
