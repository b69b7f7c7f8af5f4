/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

/**
 * One inbound frame was dropped because it was too long or could not be decoded; the connection carries on.
 *
 * @param connection the connection the frame arrived on
 * @param cause a {@link FrameTooLongException} or {@link MalformedFrameException} describing the frame
 * @since 0.1
 */
public record FrameDroppedEvent(Connection<?> connection, ClientException cause) implements ConnectionEvent {}
