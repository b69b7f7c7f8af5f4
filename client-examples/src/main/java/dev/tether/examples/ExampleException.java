/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

/** A failure that an example reports as one line, {@code error: <message>}, before it exits with status 1. */
final class ExampleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExampleException(String message) {
        super(message);
    }
}
