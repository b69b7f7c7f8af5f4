/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Tether's test kit: loopback servers that follow a script, a fault proxy, and a JUnit 5 extension, for testing
 * TCP clients without sleeping, mocking Netty or depending on a real server.
 */
package dev.tether.testkit;
