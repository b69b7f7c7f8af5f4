/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/** Micrometer metrics and Observations for Tether clients: {@link dev.tether.micrometer.TetherMetrics}. */
package dev.tether.micrometer;
