/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import java.util.concurrent.CompletionException;

/** What every place that calls the user's code, or waits on a stage, does with what comes back. */
final class Callbacks {
    private Callbacks() {}

    /**
     * Rethrows an error the JVM cannot carry on after ({@link VirtualMachineError}: out of memory, stack overflow);
     * anything else thrown by user code is logged by the caller, which carries on.
     */
    static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError error) {
            throw error;
        }
    }

    /** Returns what a stage failed with: the cause of a {@link CompletionException}, else the error itself. */
    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
