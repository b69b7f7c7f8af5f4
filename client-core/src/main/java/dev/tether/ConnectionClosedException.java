/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * A connection is closed or was lost: sends fail with it, and listeners receive it as the disconnect cause.
 *
 * <p>The message says which connection, to which address, and why, for example
 * {@code "connection tether#1 to 127.0.0.1:9000 was reset by the peer"}.
 *
 * @since 0.1
 */
public final class ConnectionClosedException extends ClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Who or what closed the connection.
     *
     * @since 0.1
     */
    public enum Reason {
        /** The application called {@code close()} on the connection or its client. */
        APPLICATION,
        /** The server closed its end cleanly. */
        PEER,
        /** It broke: reset by the peer, an I/O error, or a stream that could not be decoded; see the cause. */
        FAILURE
    }

    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param message which connection closed, and why
     * @param reason who or what closed it
     * @param cause the underlying exception, or {@code null}
     */
    public ConnectionClosedException(String message, Reason reason, Throwable cause) {
        super(message, cause);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    /**
     * Tells who or what closed the connection; {@link Reason#FAILURE} means it broke rather than ended.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
