/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples;

import dev.tether.examples.server.DemoServer;
import dev.tether.examples.server.DemoTls;
import dev.tether.tls.Tls;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The TLS options of the client examples: {@code --tls}, {@code --ca}, {@code --cert}, {@code --key} and {@code
 * --server-name}, and what they make: the client's {@link Tls} settings, and a TLS embedded server when the example
 * runs its own.
 */
final class TlsOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = "--tls",
            description = "Encrypt with TLS, trusting the CAs the JDK trusts and checking the server's name. With the "
                    + "embedded demo server, that server speaks TLS too, with a certificate made at start.")
    private boolean tls;

    @Option(
            names = "--ca",
            paramLabel = "FILE",
            description = "Trust only the certificates in this PEM file, such as a private CA's; implies --tls.")
    private Path ca;

    @Option(
            names = "--cert",
            paramLabel = "FILE",
            description = "Present this client certificate (PEM, with any intermediates) when the server asks for "
                    + "one; needs --key; implies --tls.")
    private Path cert;

    @Option(
            names = "--key",
            paramLabel = "FILE",
            description = "The private key of --cert, unencrypted PEM (PKCS#8, or a traditional RSA or EC key).")
    private Path key;

    @Option(
            names = "--server-name",
            paramLabel = "NAME",
            description = "Check the server's certificate against NAME, and send NAME in SNI, instead of the host "
                    + "connected to (for a server reached by address); implies --tls.")
    private String serverName;

    private DemoTls demo; // the embedded server's certificates, if it speaks TLS

    /** Tells whether any TLS option was given. */
    boolean enabled() {
        return tls || ca != null || cert != null || key != null || serverName != null;
    }

    /** Makes {@code server}, an embedded demo server not yet started, speak TLS if a TLS option was given. */
    <S extends DemoServer> S secure(S server) {
        if (enabled()) {
            demo = DemoTls.create();
            server.tls(demo.serverCertificate());
        }
        return server;
    }

    /**
     * Returns the client's TLS settings, or null for plain TCP: trusting the embedded server's CA if it speaks TLS,
     * else {@code --ca}'s certificates, else the JDK's.
     *
     * @throws ParameterException (a usage error) for {@code --cert} without {@code --key} or the other way round, or
     *     a {@code --server-name} that is not a host name
     */
    Tls settings() {
        if (!enabled()) {
            return null;
        }
        if ((cert == null) != (key == null)) {
            throw new ParameterException(spec.commandLine(), "--cert and --key go together: give both, or neither");
        }
        Tls settings = demo != null ? Tls.trustStore(trusting(demo)) : ca != null ? Tls.trustPem(ca) : Tls.system();
        if (cert != null) {
            settings = settings.withClientCertificate(cert, key);
        }
        if (serverName != null) {
            try {
                settings = settings.withServerName(serverName);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(
                        spec.commandLine(), "Invalid value for option '--server-name': " + e.getMessage());
            }
        }
        return settings;
    }

    private static KeyStore trusting(DemoTls demo) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("demo-ca", demo.authority());
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot hold the demo CA in a key store", e);
        }
    }
}
