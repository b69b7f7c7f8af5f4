/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Implementation of the client; not API; may change in any release.
 */
package dev.tether.internal;
