/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/** A Flink source that reads TCP endpoints through Tether clients: {@link dev.tether.flink.TetherSource}. */
package dev.tether.flink;
