/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * How bytes on the wire become messages: {@link dev.tether.codec.Framing} cuts frames, {@link dev.tether.codec.Codec}
 * turns frames into strings or byte arrays.
 */
package dev.tether.codec;
