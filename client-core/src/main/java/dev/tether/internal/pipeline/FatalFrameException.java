/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal.pipeline;

import dev.tether.ClientException;

/** Carries a framing error after which the connection must close; its cause is the user-facing exception. */
public final class FatalFrameException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FatalFrameException(ClientException cause) {
        super(cause.getMessage(), cause, false, false);
    }

    /** Returns the exception to report to the user. */
    public ClientException error() {
        return (ClientException) getCause();
    }
}
