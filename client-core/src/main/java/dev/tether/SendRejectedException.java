/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Thrown (as the failure of a send's future) when a send limit refuses a send: the {@link WriteBuffer} limit while
 * the connection is open, the {@link SendBuffer} limit while it is not. The message says which limit, and how much
 * was waiting. Nothing was written or queued; the caller may retry later, best after
 * {@link Connection#whenWritable()}.
 *
 * @since 0.1
 */
public final class SendRejectedException extends ClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which connection, and which limit refused the send
     */
    public SendRejectedException(String message) {
        super(message);
    }
}
