/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.io.Serializable;

/**
 * Builds the line a {@linkplain TetherSource.Builder#resume resumable} source sends first on every connect, from the
 * endpoint and how far it was read; for example {@code (endpoint, position) -> position == null ? "SUBSCRIBE" :
 * "SUBSCRIBE FROM " + position}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ResumeLine extends Serializable {
    /**
     * Returns the line to send, without its delimiter. Called as each connection comes up, after the template's own
     * on-connect hook if it has one: on the connection's I/O thread, or on the thread that completed that hook; it
     * must not block. An exception it throws fails the task, naming the endpoint.
     *
     * @param endpoint the endpoint being connected to, with its own on-connect line if it has one
     * @param position the position of the last frame received from it, or restored from a checkpoint; null if none
     * @return the line, or null to send none
     */
    String line(Endpoint endpoint, String position);
}
