/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * A frame could not be decoded: invalid text under a strict codec, or a length prefix that is negative.
 *
 * <p>A frame with invalid text is dropped and the connection carries on; a corrupt length prefix closes the
 * connection, because the frame boundaries after it cannot be found.
 *
 * @since 0.1
 */
public final class MalformedFrameException extends ClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong with the frame
     * @param cause the underlying exception, or {@code null}
     */
    public MalformedFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
