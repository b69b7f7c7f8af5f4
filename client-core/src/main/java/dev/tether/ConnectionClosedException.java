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
     * Creates the exception.
     *
     * @param message which connection closed, and why
     * @param cause the underlying exception, or {@code null}
     */
    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
