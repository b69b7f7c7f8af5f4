/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Runnable examples of the Tether client, one class per command of {@code tether-examples.jar}: {@link
 * dev.tether.examples.HelloExample}, {@link dev.tether.examples.TailExample}, {@link
 * dev.tether.examples.ChatExample}, {@link dev.tether.examples.StreamExample} and {@link
 * dev.tether.examples.ServerExample}.
 */
package dev.tether.examples;
