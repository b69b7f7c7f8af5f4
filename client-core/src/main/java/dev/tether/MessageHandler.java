/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Receives each decoded message of a connection.
 *
 * <p>Called on the connection's I/O thread, one message at a time, in the order the frames arrived. It must not
 * block: hand heavy work to an executor of your own. An exception thrown here is logged at WARN with the
 * connection's id and the next message is delivered as usual. No message is delivered after the connection's
 * {@link ConnectionListener#onClosed(ClosedEvent)}. One handler instance serves every connection of its client, and
 * connections on different I/O threads call it at the same time: keep state per connection, or make it
 * thread-safe.
 *
 * <pre>{@code
 * ClientConfig<String> config = ClientConfig.builder()
 *         .remoteAddress("127.0.0.1", 9000)
 *         .handler((connection, line) -> System.out.println(line))
 *         .build();
 * }</pre>
 *
 * @param <T> the message type: {@code String} for a text codec, {@code byte[]} for the bytes codec
 * @since 0.1
 */
@FunctionalInterface
public interface MessageHandler<T> {
    /**
     * Handles one message.
     *
     * @param connection the connection the message arrived on
     * @param message the decoded frame, without its delimiter or length prefix
     */
    void onMessage(Connection<T> connection, T message);
}
