/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.util.List;

/**
 * Receives the messages of one socket read at once, for consumers that work in batches (a bulk insert, a single
 * lock or queue hand-off per batch): the per-message cost of the hand-off is paid once per read.
 *
 * <p>Called on the connection's I/O thread, in order, once per read that produced at least one message. The list
 * is the handler's to keep; it is never empty and never reused. As with {@link MessageHandler}, keep the work short
 * and non-blocking, and an exception is logged with the connection's id and the stream goes on. One instance serves
 * every connection of its client, and connections on different I/O threads call it at the same time.
 *
 * <pre>{@code
 * ClientConfig.builder(Codec.bytes())
 *         .remoteAddress("127.0.0.1", 9000)
 *         .batchHandler((connection, frames) -> queue.addAll(frames))
 *         .build();
 * }</pre>
 *
 * @param <T> the message type of the codec
 * @since 0.1
 */
@FunctionalInterface
public interface BatchHandler<T> {
    /**
     * Handles the messages of one read.
     *
     * @param connection the connection they arrived on
     * @param messages the messages, in arrival order; at least one
     */
    void onBatch(Connection<T> connection, List<T> messages);
}
