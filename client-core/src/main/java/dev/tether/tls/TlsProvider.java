/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.tls;

/**
 * The TLS implementation a client uses.
 *
 * @since 0.1
 */
public enum TlsProvider {
    /**
     * The default: {@link #OPENSSL} when {@code netty-tcnative-boringssl-static} (or another tcnative build) is on the
     * class path and loads, else {@link #JDK}. The provider chosen is logged at DEBUG and returned by
     * {@link dev.tether.TetherClient#tlsProvider()}.
     */
    AUTO,
    /** The JDK's own TLS ({@code SSLEngine}): always available. */
    JDK,
    /** OpenSSL or BoringSSL through netty-tcnative: faster handshakes and bulk encryption; must be on the class path. */
    OPENSSL
}
