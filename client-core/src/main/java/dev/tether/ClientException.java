/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Root of the unchecked exceptions that Tether reports for runtime failures.
 *
 * <p>Caller mistakes are reported with the JDK's own exceptions instead ({@link NullPointerException},
 * {@link IllegalArgumentException}, {@link IllegalStateException}). The original Netty or JDK exception, where
 * there is one, is the {@linkplain #getCause() cause}.
 *
 * @since 0.1
 */
public class ClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message and an optional cause.
     *
     * @param message what failed, naming the address or connection involved
     * @param cause the underlying exception, or {@code null}
     */
    public ClientException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates an exception with a message and no cause.
     *
     * @param message what failed, naming the address or connection involved
     */
    public ClientException(String message) {
        super(message);
    }
}
