/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.ClientException;

/**
 * Carries an error after which the channel must close, from the handler that decided so to the {@link Dispatcher},
 * which hands the sink the error inside it, so the connection sees the original type. A wrapper, because the type
 * alone does not tell: a {@code FrameTooLongException} from a line only drops that line, while one from a length
 * prefix means the stream is lost; and an {@code IdleTimeoutException} (read or frame timeout) must close the channel
 * although it is no I/O error.
 */
final class ChannelFatalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChannelFatalException(ClientException cause) {
        super(cause.getMessage(), cause, false, false);
    }

    /** Returns the exception to report to the user. */
    ClientException error() {
        return (ClientException) getCause();
    }
}
