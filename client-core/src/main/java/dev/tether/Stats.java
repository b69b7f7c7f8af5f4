/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What a connection, or a whole client, has done so far and holds right now: the counts and levels common to
 * {@link ConnectionStats} and {@link ClientStats}. An immutable snapshot: a connection's costs a few reads of values
 * the I/O thread keeps anyway, a client's that for each of its open connections, so either may be taken as often as
 * a metrics scrape wants. The values are read one after the
 * other, not as one atomic cut: a message that arrives meanwhile may be counted in bytes and not yet in messages.
 *
 * <p>Counts only grow. A client's counts include those of its connections that have closed; its levels (inbox,
 * buffered sends, bytes waiting) are those of its open connections.
 *
 * @since 0.1
 */
public interface Stats {
    /**
     * {@return messages decoded and handed on: to the handler, the batch handler or the inbox} Frames dropped are
     * not counted here but in {@link #framesDropped()}.
     */
    long messagesReceived();

    /**
     * {@return bytes read from the connection: the stream before it is cut into frames, after TLS decryption} It
     * includes delimiters, length prefixes and frames later dropped.
     */
    long bytesReceived();

    /**
     * {@return messages written to the socket: sends whose future completed normally, the on-connect hook's
     * included; heartbeats are not counted}
     */
    long messagesSent();

    /** {@return bytes of the messages counted in {@link #messagesSent()}, as framed: delimiter or prefix included} */
    long bytesSent();

    /** {@return inbound frames dropped, for any reason; the connection stayed open for each} */
    long framesDropped();

    /**
     * {@return inbound frames dropped for {@code reason}}
     *
     * @param reason why they were dropped
     */
    long framesDropped(DropReason reason);

    /**
     * {@return connects that succeeded: the channel opened, the TLS handshake and the on-connect hook (if any)
     * passed} The first of each connection and every reconnect.
     */
    long connects();

    /** {@return connects counted in {@link #connects()} that followed a loss: every connect but each connection's first} */
    long reconnects();

    /**
     * {@return connect attempts that failed: refused, timed out, unknown host, a proxy's or TLS handshake's refusal,
     * an on-connect hook that failed, or an attempt the application's close cut short}
     */
    long failedConnects();

    /** {@return connected channels that went down, for any reason, closes by the application included} */
    long disconnects();

    /**
     * {@return connected channels that went down for {@code cause}}
     *
     * @param cause why they went down
     */
    long disconnects(DisconnectCause cause);

    /**
     * {@return messages waiting in the inbox for {@code receive} or the publisher; zero with a handler} The inbox
     * hands messages over a socket read at a time, and counts them so: a read's messages count as waiting until the
     * last of them is taken.
     */
    long inboxMessages();

    /**
     * {@return the inbox's measure of the messages waiting in it: a {@code byte[]}'s length, a string's length in
     * chars, as {@link ClientConfig.Builder#inboxCapacity(int, long)} counts them}
     */
    long inboxBytes();

    /** {@return sends waiting for a connection, in the {@link SendBuffer} while disconnected} */
    long bufferedSends();

    /**
     * {@return frame bytes of the sends accepted and not yet written to the socket: buffered during an outage, queued
     * for the I/O thread or in the channel's outbound buffer; what {@link WriteBuffer} limits}
     */
    long pendingWriteBytes();

    /** {@return when the last message was received (at the end of the socket read that brought it); empty if none was} */
    Optional<Instant> lastMessageReceivedAt();

    /**
     * Why a frame was dropped: the tags of {@code tether.frames.dropped}.
     *
     * @since 0.1
     */
    enum DropReason {
        /** Longer than the framing's maximum: a {@link FrameTooLongException}. */
        TOO_LONG,
        /** Not decodable, such as invalid text in the codec's charset: a {@link MalformedFrameException}. */
        MALFORMED;

        /** {@return the name in lower case, as metrics tag it: {@code too_long}, {@code malformed}} */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Why a connected channel went down: a small fixed set, the tags of {@code tether.disconnects}.
     *
     * @since 0.1
     */
    enum DisconnectCause {
        /** The server closed the connection (end of stream, or a TLS {@code close_notify}). */
        PEER_CLOSED,
        /** The server, or something on the way, reset the connection. */
        RESET,
        /** Nothing arrived within the read timeout, or a frame took longer than the frame timeout. */
        IDLE_TIMEOUT,
        /** The stream broke the protocol: a corrupt frame the framing cannot skip, a decoder error. */
        PROTOCOL_ERROR,
        /** A TLS error after the handshake. */
        TLS_ERROR,
        /** Another I/O error. */
        IO_ERROR,
        /** The application closed the connection, or the client. */
        APPLICATION;

        /** {@return the name in lower case, as metrics tag it: {@code peer_closed}, {@code reset} and so on} */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
