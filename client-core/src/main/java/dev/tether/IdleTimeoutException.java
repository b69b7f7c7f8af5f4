/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * A connection was declared dead by its {@link dev.tether.idle.IdlePolicy}: nothing arrived for the read timeout,
 * or a frame did not finish within the frame timeout. It is the cause of the disconnect; reconnect takes over.
 *
 * @since 0.1
 */
public final class IdleTimeoutException extends ClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what timed out and after how long
     */
    public IdleTimeoutException(String message) {
        super(message);
    }
}
