/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

/** A run that did not end within the runner's deadline; the runner records it and goes on. */
final class RunStalledException extends Exception {
    private static final long serialVersionUID = 1L;

    RunStalledException(String message) {
        super(message);
    }
}
