/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Encrypting the connection: {@link dev.tether.tls.Tls} says whom to trust, which certificate to present and how to
 * check the server's name; {@link dev.tether.tls.TlsProvider} chooses the implementation.
 */
package dev.tether.tls;
