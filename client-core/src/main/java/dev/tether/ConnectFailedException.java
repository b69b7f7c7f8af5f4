/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * A connection could not be established: refused, timed out, or the host name did not resolve.
 *
 * <p>The message names the address, for example {@code "connect to 127.0.0.1:9000 failed: Connection refused"}.
 *
 * @since 0.1
 */
public final class ConnectFailedException extends ClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed, naming the address
     * @param cause the underlying exception, or {@code null}
     */
    public ConnectFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
