/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One live link to a server: send messages, receive them, close it.
 *
 * <p>Obtained from {@link TetherClient#connect()}. All methods are thread-safe. Futures complete on the
 * connection's I/O thread: chain heavy work with the {@code ...Async(fn, executor)} variants. Blocking on one of
 * these futures from that I/O thread throws {@link IllegalStateException} instead of deadlocking.
 *
 * <pre>{@code
 * try (TetherClient<String> client = TetherClient.create(config)) {
 *     Connection<String> connection = client.connect().get(10, TimeUnit.SECONDS);
 *     connection.send("HELLO").join();
 *     Optional<String> reply = connection.receive(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * @param <T> the message type: {@code String} for a text codec, {@code byte[]} for the bytes codec
 * @since 0.1
 */
public interface Connection<T> extends AutoCloseable {
    /**
     * Returns this connection's id, {@code <client name>#<n>}, as it appears in logs and exception messages.
     *
     * @return the id, for example {@code "tether#1"}
     */
    String id();

    /**
     * Returns the connection's state at this moment.
     *
     * @return the current state
     */
    ConnectionState state();

    /**
     * Tells whether the connection is {@link ConnectionState#CONNECTED} at this moment.
     *
     * @return {@code true} while a channel is open
     */
    boolean isOpen();

    /**
     * Returns the server's resolved address, or the last one it was connected to once closed.
     *
     * @return the remote address
     */
    InetSocketAddress remoteAddress();

    /**
     * Sends one message, framed as configured.
     *
     * <p>For line and delimiter framing the delimiter is appended for you, and a message that contains it fails
     * with {@link IllegalArgumentException}; for length-prefixed framing the prefix is added. The future completes
     * when the bytes were written to the socket (which does not prove the server processed them) and fails with
     * {@link ConnectionClosedException} if the connection is closed or closes before the write,
     * {@link FrameTooLongException} if the encoded message exceeds the framing's maximum,
     * {@link IllegalArgumentException} for a message the framing cannot carry, or {@link SendRejectedException}
     * if the {@link WriteBuffer} limit (while connected) or the {@link SendBuffer} limit (while not) refuses it: that
     * limit is checked in the calling thread, so such a future has already failed when {@code send} returns, and
     * nothing was queued. A send on a closed connection is not a caller mistake (a connection can close under a
     * sender at any time), so it never throws for that: its future fails with {@link ConnectionClosedException}.
     *
     * @param message the message, without delimiter or prefix
     * @return a future completed once the message was written
     * @throws NullPointerException if {@code message} is null
     */
    CompletableFuture<Void> send(T message);

    /**
     * Waits up to {@code timeout} for the next message, for callers who prefer pulling to a {@link MessageHandler}.
     *
     * <p>Messages wait in a bounded inbox ({@link ClientConfig.Builder#inboxCapacity(int, long)}); while it is full
     * the client stops reading from the socket, so TCP slows the server down instead of memory filling up, and it
     * reads again once the inbox is half empty. Once the connection is closed, the messages still in the inbox are
     * returned, then empty at once. Several threads may receive from one connection; each message goes to one.
     *
     * <p>Empty means either that nothing arrived in time or that the connection is closed and drained; call
     * {@link #isOpen()} to tell which.
     *
     * @param timeout how long to wait; zero means do not wait
     * @return the next message, or empty if none arrived in time or the connection is closed and drained
     * @throws IllegalStateException if the client delivers to a {@link MessageHandler}, or if called on an I/O
     *     thread
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    Optional<T> receive(Duration timeout) throws InterruptedException;

    /**
     * Waits up to {@code timeout} for messages and returns up to {@code max} of them at once: what a consumer that
     * handles messages in batches calls instead of {@link #receive(Duration)} in a loop.
     *
     * <p>It waits only for the first message; the rest are those already in the inbox, in order, with no further
     * wait. Messages reach the inbox a whole socket read at a time, so under a busy feed a call typically returns a
     * read's worth. The same inbox, bound and pausing as {@link #receive(Duration)}.
     *
     * <pre>{@code
     * List<String> lines;
     * while (!(lines = connection.receive(512, Duration.ofSeconds(1))).isEmpty() || connection.isOpen()) {
     *     lines.forEach(this::process);
     * }
     * }</pre>
     *
     * @param max the most messages to return; 1 or more
     * @param timeout how long to wait for the first message; zero means do not wait
     * @return the messages, oldest first; an unmodifiable empty list if none arrived in time or the connection is
     *     closed and drained
     * @throws IllegalStateException if the client delivers to a {@link MessageHandler} or {@link BatchHandler}, or
     *     if called on an I/O thread
     * @throws IllegalArgumentException if {@code max} is below 1 or {@code timeout} is negative
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @since 0.1
     */
    List<T> receive(int max, Duration timeout) throws InterruptedException;

    /**
     * Returns the messages as a {@link Flow.Publisher}, the pull-style inbox seen as a reactive stream: a
     * subscriber gets no more messages than it has {@linkplain Flow.Subscription#request(long) requested}, and while
     * it requests none the inbox fills up and the client stops reading from the socket, exactly as with
     * {@link #receive(Duration)}.
     *
     * <p>One subscriber at a time; a second one gets {@code onError} with an {@link IllegalStateException}. Its
     * methods are called in sequence on the {@linkplain ClientConfig#publisherExecutor() publisher executor}
     * ({@link java.util.concurrent.ForkJoinPool#commonPool()} by default), not on an I/O thread; only if that
     * executor refuses a task does the I/O thread call {@code onError} (an {@link IllegalStateException} saying so),
     * and nothing after it. When the connection is closed for good it gets {@code onComplete} once the inbox is
     * drained, or
     * {@code onError} with the {@link ConnectionClosedException} if the connection failed (the reconnect policy
     * gave up, or reconnect is off). Take messages through this or through {@code receive}, not both.
     *
     * @return the publisher; the same instance on every call
     * @throws IllegalStateException if the client delivers to a {@link MessageHandler} or {@link BatchHandler}
     */
    Flow.Publisher<T> messages();

    /**
     * Tells whether a send now would go straight to the socket's buffer: the connection is open and fewer bytes wait
     * to be written than the {@linkplain WriteBuffer#highWaterMark() high water mark}. Bytes are counted when
     * {@link #send(Object)} is called, as the message's frame (its encoding plus delimiter or length prefix), until
     * written to the socket or failed.
     *
     * @return true if writable now
     */
    boolean isWritable();

    /**
     * Returns a future completed once the connection is writable ({@link #isWritable()}): at once if it is,
     * otherwise once the waiting bytes have drained below the {@linkplain WriteBuffer#lowWaterMark() low water
     * mark} (or to none), or after a reconnect. A sender that waits on it before each
     * burst keeps memory bounded without losing sends. Fails with {@link ConnectionClosedException} if the
     * connection is closed for good first.
     *
     * @return the future
     */
    CompletableFuture<Void> whenWritable();

    /**
     * Returns a snapshot of what this connection has done and holds: messages and bytes in and out, dropped frames,
     * connects and disconnects, inbox depth, sends waiting. Cheap; callable from any thread, also after the close.
     *
     * @return the snapshot
     */
    ConnectionStats stats();

    /**
     * Winds the connection down without losing what it already has, then closes it.
     *
     * <p>At once: reading from the socket stops (no new messages come in), reconnecting stops, and new sends fail
     * with {@link ConnectionClosedException}. Then it waits, up to {@code timeout}, until the messages already read
     * are taken from the inbox (by {@code receive} or the publisher's subscriber; with a handler none wait) and the
     * sends already accepted are written to the socket, and closes cleanly. At the timeout it closes anyway: the
     * messages still in the inbox stay there for {@code receive}, and sends not yet written fail. On io_uring a socket
     * read already under way when reading stops can still bring messages, up to the close: they wait in the inbox
     * like the rest, and the result counts them as left.
     *
     * <p>Calling it again, or after {@link #closeAsync()}, returns a future that completes once the connection is
     * closed.
     *
     * @param timeout how long to wait for the inbox and the sends; zero closes after one look
     * @return a future completed, once the connection is closed, with what was delivered and written meanwhile
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    CompletableFuture<DrainResult> drain(Duration timeout);

    /**
     * Returns a future completed once this connection is closed for good.
     *
     * <p>It completes normally whatever the reason; the reason reaches
     * {@link ConnectionListener#onDisconnected(DisconnectedEvent)}.
     *
     * @return the close future; the same instance on every call
     */
    CompletableFuture<Void> closeFuture();

    /**
     * Flushes what was sent and closes the connection; idempotent.
     *
     * @return the same future as {@link #closeFuture()}
     */
    CompletableFuture<Void> closeAsync();

    /**
     * Closes the connection and waits for it, up to the client's {@linkplain ClientConfig#closeTimeout() close
     * timeout}; idempotent.
     *
     * @throws IllegalStateException if called on an I/O thread
     * @throws ClientException if the close did not finish in time, or the waiting thread was interrupted
     */
    @Override
    void close();
}
