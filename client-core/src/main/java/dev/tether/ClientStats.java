/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * A snapshot of a whole client, from {@link TetherClient#stats()}: the counts of every connection it has opened
 * (closed ones included, so counts never go down), the levels of those still open, and how many are.
 *
 * @since 0.1
 */
public interface ClientStats extends Stats {
    /** {@return the client's {@linkplain ClientConfig#name() name}} */
    String clientName();

    /** {@return connections opened and not yet closed for good: connected, connecting or reconnecting} */
    int openConnections();

    /** {@return connections connected at this moment, their on-connect hook passed (as {@link #connects()} counts)} */
    int connectedConnections();
}
