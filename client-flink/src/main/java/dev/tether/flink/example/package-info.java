/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/** A runnable example job that counts the lines of each endpoint with {@code TetherSource}. */
package dev.tether.flink.example;
