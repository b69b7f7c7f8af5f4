/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Runnable Flink jobs: an example that counts the lines of each endpoint with {@code TetherSource}, and a benchmark
 * that measures it beside Flink's {@code socketTextStream}.
 */
package dev.tether.flink.example;
