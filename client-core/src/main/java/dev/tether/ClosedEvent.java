/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * Terminal: the connection is closed for good. No event or message for it follows.
 *
 * @param connection the connection that closed
 * @since 0.1
 */
public record ClosedEvent(Connection<?> connection) implements ConnectionEvent {}
