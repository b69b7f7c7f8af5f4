/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/** Reaching the server through a SOCKS or HTTP proxy: {@link dev.tether.proxy.Proxy}. */
package dev.tether.proxy;
