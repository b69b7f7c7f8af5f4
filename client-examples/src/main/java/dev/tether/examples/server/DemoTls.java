/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples.server;

import dev.tether.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

/**
 * TLS for the demo servers without a PKI: a certificate authority made at start, and a server certificate it issues
 * for {@code localhost}, {@code 127.0.0.1} and {@code ::1}. A client trusts the servers by trusting the CA, whose
 * certificate {@link #writeAuthority()} writes to a file. Throw-away keys: for trying TLS, never for protecting
 * anything.
 */
public final class DemoTls {
    private final TestCertificates.Authority authority;
    private final TestCertificates.Issued server;

    private DemoTls() {
        this.authority = TestCertificates.authority("Tether demo CA");
        this.server = authority.issue("Tether demo server", "localhost", "127.0.0.1", "::1");
    }

    /**
     * Makes a new CA and a server certificate it issues.
     *
     * @return the certificates
     */
    public static DemoTls create() {
        return new DemoTls();
    }

    /**
     * Returns the server's certificate and key, for {@link DemoServer#tls}.
     *
     * @return the server certificate
     */
    public TestCertificates.Issued serverCertificate() {
        return server;
    }

    /**
     * Returns the CA's certificate, which a client trusts.
     *
     * @return the CA certificate
     */
    public X509Certificate authority() {
        return authority.certificate();
    }

    /**
     * Writes the CA's certificate as PEM to a new file in the temporary directory, deleted when the JVM exits.
     *
     * @return the file, for a client's {@code --ca}
     * @throws IOException if it cannot be written
     */
    public Path writeAuthority() throws IOException {
        Path file = Files.createTempFile("tether-demo-ca-", ".pem");
        file.toFile().deleteOnExit();
        return authority.writeCertificate(file);
    }
}
