/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientException;
import dev.tether.ConnectionClosedException;
import dev.tether.ConnectionClosedException.Reason;
import dev.tether.FrameTooLongException;
import dev.tether.IdleTimeoutException;
import dev.tether.MetricsRecorder;
import dev.tether.Stats.DisconnectCause;
import dev.tether.Stats.DropReason;
import dev.tether.internal.pipeline.PipelineSink;
import dev.tether.tls.Tls;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel of a connection, from the attempt that opens it to its close: what its pipeline reports, and why it
 * closed. Errors are sorted here, once, by type.
 *
 * <p>Threads: the connection's event loop only.
 */
final class ChannelSession<T> implements PipelineSink {
    private static final Logger log = LoggerFactory.getLogger(ChannelSession.class);
    private static final long DROP_WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** What a session tells its connection. */
    interface Owner {
        /** An inbound frame was dropped; the channel stays open. */
        void frameDropped(ChannelSession<?> session, ClientException error);

        /** The channel closed, for {@code cause}. */
        void channelDown(ChannelSession<?> session, ConnectionClosedException cause);
    }

    private final String id;
    private final InetSocketAddress endpoint;
    private final String target;
    private final Class<T> messageType;
    private final Delivery<T> delivery;
    private final Outbox outbox;
    private final Owner owner;
    private final Tls tls; // null: plain TCP
    private final Counters counters; // the connection's
    private final MetricsRecorder.ConnectAttempt attempt;
    private Channel channel; // set as soon as the connect attempt creates it
    private ConnectionClosedException cause; // the first reason to close this channel wins
    private boolean established; // the attempt succeeded: errors from here on are the connection's to report
    private volatile boolean ready; // the hook passed too: the connect counted, a loss is a disconnect; read by stats()
    private boolean attemptEnded; // the attempt's recorder heard how it ended
    private long messagesThisRead;
    private long droppedSinceWarning = -1; // frames dropped and logged at DEBUG since the last WARN; -1: no WARN yet
    private long lastDropWarningNanos;

    ChannelSession(
            String id,
            InetSocketAddress endpoint,
            Class<T> messageType,
            Delivery<T> delivery,
            Outbox outbox,
            Owner owner,
            Tls tls,
            Counters counters,
            MetricsRecorder.ConnectAttempt attempt) {
        this.id = id;
        this.endpoint = endpoint;
        this.target = ConfigText.hostAndPort(endpoint);
        this.messageType = messageType;
        this.delivery = delivery;
        this.outbox = outbox;
        this.owner = owner;
        this.tls = tls;
        this.counters = counters;
        this.attempt = attempt;
    }

    /** What hears this attempt's phases. */
    MetricsRecorder.ConnectAttempt attempt() {
        return attempt;
    }

    /** The on-connect hook passed: the attempt succeeded. */
    void ready() {
        ready = true;
        endAttempt(null);
    }

    /** Whether the on-connect hook passed on this channel. */
    boolean isReady() {
        return ready;
    }

    /** Tells the recorder how the attempt ended ({@code error} null: it succeeded), once; false if it was told. */
    boolean endAttempt(Throwable error) {
        if (attemptEnded) {
            return false;
        }
        attemptEnded = true;
        if (error == null) {
            attempt.succeeded();
        } else {
            attempt.failed(error);
        }
        return true;
    }

    InetSocketAddress endpoint() {
        return endpoint;
    }

    /** The endpoint as {@code host:port}. */
    String target() {
        return target;
    }

    /** The channel, or null before the attempt has created it. */
    Channel channel() {
        return channel;
    }

    void created(Channel channel) {
        this.channel = channel;
    }

    /** The attempt succeeded (with TLS: the handshake too); until then the attempt's failure reports errors. */
    void established() {
        established = true;
    }

    /** Why this channel is closing, or null while nothing closes it. */
    ConnectionClosedException cause() {
        return cause;
    }

    /**
     * Closes the channel for {@code error}; the first reason given is the one reported. The connection logs the loss,
     * once: with the reconnect that follows, or as the end.
     */
    void fail(ConnectionClosedException error) {
        if (cause == null) {
            cause = error;
            log.debug("{}", error.getMessage());
        }
        channel.close();
    }

    /** Closes the channel now, for {@code why} unless a reason was given before. */
    void close(ConnectionClosedException why) {
        if (cause == null) {
            cause = why;
        }
        channel.close();
    }

    /**
     * Closes the channel once everything sent so far has reached the socket, or after {@code timeout} if the peer
     * does not read; for {@code why} unless a reason was given before.
     */
    void closeAfterFlush(ConnectionClosedException why, Duration timeout) {
        if (cause == null) {
            cause = why;
        }
        // an empty write after the others completes once they are written
        ChannelHandlerContext first = channel.pipeline().firstContext();
        ChannelFuture flushed =
                first == null ? channel.newSucceededFuture() : first.writeAndFlush(Unpooled.EMPTY_BUFFER);
        flushed.addListener(ChannelFutureListener.CLOSE);
        ScheduledFuture<?> force =
                channel.eventLoop().schedule((Runnable) channel::close, timeout.toNanos(), TimeUnit.NANOSECONDS);
        channel.closeFuture().addListener(closed -> force.cancel(false));
    }

    @Override
    public void onMessage(Object message) {
        outbox.reading();
        if (!messageType.isInstance(message)) {
            log.warn(
                    "connection {}: dropped a {} that reached the end of the pipeline; expected {}",
                    id,
                    message.getClass().getName(),
                    messageType.getSimpleName());
            ReferenceCountUtil.release(message);
            return;
        }
        messagesThisRead++;
        delivery.message(messageType.cast(message));
    }

    @Override
    public void onBytesRead(int bytes) {
        counters.add(Counters.BYTES_IN, bytes);
    }

    @Override
    public void onReadComplete() {
        if (messagesThisRead > 0) {
            counters.add(Counters.MESSAGES_IN, messagesThisRead);
            counters.set(Counters.LAST_MESSAGE_MILLIS, System.currentTimeMillis());
            messagesThisRead = 0;
        }
        delivery.readComplete();
        outbox.readComplete(); // what the handlers sent during this read, in one flush, without waiting for a task
    }

    /**
     * Each dropped frame is an event; the log says so at WARN for the first, then at most once a minute with how many
     * were dropped since (those at DEBUG), so that a server sending nothing but bad frames cannot flood it.
     */
    @Override
    public void onFrameDropped(ClientException error) {
        counters.add(
                Counters.dropped(error instanceof FrameTooLongException ? DropReason.TOO_LONG : DropReason.MALFORMED),
                1);
        long now = channel.eventLoop().ticker().nanoTime();
        if (droppedSinceWarning < 0 || now - lastDropWarningNanos >= DROP_WARNING_INTERVAL_NANOS) {
            log.warn(
                    "connection {} to {}: {}{}",
                    id,
                    target,
                    error.getMessage(),
                    droppedSinceWarning > 0
                            ? " (" + droppedSinceWarning
                                    + " more frames dropped since the last warning, logged at DEBUG)"
                            : "");
            lastDropWarningNanos = now;
            droppedSinceWarning = 0;
        } else {
            droppedSinceWarning++;
            log.debug("connection {} to {}: {}", id, target, error.getMessage());
        }
        owner.frameDropped(this, error);
    }

    @Override
    public void onFatal(Throwable error) {
        if (!established) { // a failed TLS handshake: the connect attempt fails with the explanation
            log.debug("connection {} to {}: {}", id, target, error.toString());
            close(new ConnectionClosedException(describe(error), Reason.FAILURE, error));
            return;
        }
        fail(new ConnectionClosedException(describe(error), Reason.FAILURE, error));
    }

    @Override
    public void onInactive() {
        onReadComplete(); // a read cut short by the close still hands over what it decoded
        ConnectionClosedException why = cause != null
                ? cause
                : new ConnectionClosedException(
                        "connection " + id + " to " + target + " was closed by the peer", Reason.PEER, null);
        owner.channelDown(this, why);
    }

    /** Says what ended the channel, from the error's type. */
    private String describe(Throwable error) {
        String prefix = "connection " + id + " to " + target;
        String failed = prefix + " failed: ";
        return switch (causeOf(error)) {
            case RESET -> prefix + " was reset by the peer";
            case IDLE_TIMEOUT -> prefix + " timed out: " + error.getMessage();
            case PROTOCOL_ERROR ->
                error instanceof ClientException
                        ? prefix + " closed after a protocol error: " + error.getMessage()
                        : failed + error; // a decoder's own exception, named as it is
            case TLS_ERROR ->
                failed + (tls == null ? error : TlsErrors.explain(error, tls, certificateRequest(), target));
            default -> failed + error;
        };
    }

    private TlsContext.CertificateRequest certificateRequest() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return ssl == null ? null : TlsContext.sessionRequest(ssl.engine());
    }

    /** Sorts why a connected channel went down into the fixed set metrics tag it with, from the error's type. */
    static DisconnectCause causeOf(ConnectionClosedException closed) {
        if (closed.reason() == Reason.APPLICATION) {
            return DisconnectCause.APPLICATION;
        }
        if (closed.reason() == Reason.PEER) {
            return DisconnectCause.PEER_CLOSED;
        }
        return closed.getCause() == null ? DisconnectCause.IO_ERROR : causeOf(closed.getCause());
    }

    /** Sorts an error that ended a channel by its type: what {@link #describe} says and the metrics count. */
    private static DisconnectCause causeOf(Throwable error) {
        if (isReset(error)) {
            return DisconnectCause.RESET;
        }
        if (error instanceof IdleTimeoutException) {
            return DisconnectCause.IDLE_TIMEOUT;
        }
        if (error instanceof SSLException) {
            return DisconnectCause.TLS_ERROR;
        }
        if (error instanceof ClientException || error instanceof DecoderException) {
            return DisconnectCause.PROTOCOL_ERROR;
        }
        return DisconnectCause.IO_ERROR;
    }

    /**
     * Whether the peer reset the connection, from the error's type: the native transports report the errno ({@code
     * ECONNRESET}, or {@code EPIPE} for a write after one); the JDK's socket channel reports a reset as a bare
     * {@link SocketException}, its subclasses naming other failures (refused, unreachable).
     */
    static boolean isReset(Throwable error) {
        if (error instanceof Errors.NativeIoException nativeError) {
            int errno = nativeError.expectedErr(); // a native error: the native library, and Errors, are loaded
            return errno == Errors.ERRNO_ECONNRESET_NEGATIVE || errno == Errors.ERRNO_EPIPE_NEGATIVE;
        }
        return error.getClass() == SocketException.class;
    }
}
