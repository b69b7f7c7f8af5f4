/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * A frame was longer than the framing's maximum length.
 *
 * <p>Inbound, for line and delimiter framing, the frame is dropped and reading resumes after its delimiter; for
 * length-prefixed framing the stream cannot be trusted any more and the connection is closed. Outbound, the send
 * fails with this exception and nothing is written.
 *
 * @since 0.1
 */
public final class FrameTooLongException extends ClientException {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final int maxLength;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming both numbers
     * @param length the frame's length in bytes, as far as it is known
     * @param maxLength the configured maximum in bytes
     */
    public FrameTooLongException(String message, long length, int maxLength) {
        super(message);
        this.length = length;
        this.maxLength = maxLength;
    }

    /**
     * Returns the length of the offending frame in bytes (for a dropped line, the number of bytes discarded).
     *
     * @return the frame's length in bytes
     */
    public long length() {
        return length;
    }

    /**
     * Returns the maximum frame length that was exceeded.
     *
     * @return the limit in bytes
     */
    public int maxLength() {
        return maxLength;
    }
}
