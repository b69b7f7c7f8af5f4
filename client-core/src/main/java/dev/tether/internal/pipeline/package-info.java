/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The Netty handlers that make up a connection's pipeline; not API; may change in any release.
 */
package dev.tether.internal.pipeline;
