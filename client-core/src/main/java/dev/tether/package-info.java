/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Tether: an asynchronous client for long-lived TCP streams; start at {@link dev.tether.TetherClient}.
 */
package dev.tether;
