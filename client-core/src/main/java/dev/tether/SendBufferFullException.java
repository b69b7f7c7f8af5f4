/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * A send was refused because the connection is reconnecting and its {@link SendBuffer} is full. Nothing was
 * written; the caller may retry later.
 *
 * @since 0.1
 */
public final class SendBufferFullException extends ClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which connection, and which bound was reached
     */
    public SendBufferFullException(String message) {
        super(message);
    }
}
