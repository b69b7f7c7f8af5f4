/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * When to try again after a connection attempt fails or a connection is lost: {@link
 * dev.tether.reconnect.ReconnectPolicy}.
 */
package dev.tether.reconnect;
