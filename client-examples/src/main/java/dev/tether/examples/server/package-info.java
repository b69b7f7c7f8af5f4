/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/** Small Netty servers on 127.0.0.1 that the examples talk to, so each example runs without a server of your own. */
package dev.tether.examples.server;
