/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Detecting dead or silent connections and keeping quiet ones alive: {@link dev.tether.idle.IdlePolicy}.
 */
package dev.tether.idle;
