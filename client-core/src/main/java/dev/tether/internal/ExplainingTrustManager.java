/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's trust check, whose failures say what is wrong with the server's certificate in words a person can act on:
 * which issuer is not trusted, which names the certificate has instead of the host, when it expired. The check itself
 * (chain, validity, host name) is the delegate's, unchanged.
 */
final class ExplainingTrustManager extends X509ExtendedTrustManager {
    /** A failed trust check, with the explanation as its message and the JDK's exception as its cause. */
    static final class UntrustedServerException extends CertificateException {
        private static final long serialVersionUID = 1L;

        UntrustedServerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final X509ExtendedTrustManager delegate;
    private final String trusted; // what is trusted, for messages: "the certificates in ca.pem"
    private final boolean nameSet; // the name checked comes from Tls.withServerName

    ExplainingTrustManager(X509ExtendedTrustManager delegate, String trusted, boolean nameSet) {
        this.delegate = delegate;
        this.trusted = trusted;
        this.nameSet = nameSet;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw explain(e, chain, authType, engine == null ? null : engine.getPeerHost());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw explain(e, chain, authType, null);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw explain(e, chain, authType, null);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    private CertificateException explain(
            CertificateException error, X509Certificate[] chain, String authType, String host) {
        if (chain == null || chain.length == 0) {
            return new UntrustedServerException("the server sent no certificate", error);
        }
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        if (host != null && chainTrusted(chain, authType)) {
            return new UntrustedServerException(
                    "the server's certificate does not name " + host + ": it names " + names(leaf)
                            + (nameSet
                                    ? "; set one of those with Tls.withServerName"
                                    : "; connect by one of those names, or set the name to check with"
                                            + " Tls.withServerName"),
                    error);
        }
        Instant now = Instant.now();
        for (X509Certificate certificate : chain) {
            String which = certificate == leaf
                    ? "the server's certificate (" + subject + ")"
                    : "the certificate " + certificate.getSubjectX500Principal().getName() + " in the server's chain";
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException e) {
                return new UntrustedServerException(
                        which + " expired on " + certificate.getNotAfter().toInstant() + " (now " + now + ")", error);
            } catch (CertificateNotYetValidException e) {
                return new UntrustedServerException(
                        which + " is not valid until "
                                + certificate.getNotBefore().toInstant() + " (now " + now
                                + "); check this machine's clock",
                        error);
            }
        }
        if (TlsErrors.find(error, CertPathBuilderException.class) != null
                || String.valueOf(error.getMessage()).contains("PKIX path")) {
            X509Certificate top = chain[chain.length - 1];
            return new UntrustedServerException(
                    "the server's certificate (" + subject + ") is not trusted: it was issued by "
                            + top.getIssuerX500Principal().getName() + ", which is not among " + trusted
                            + "; trust that issuer's certificate (Tls.trustPem) if it is yours",
                    error);
        }
        return new UntrustedServerException(
                "the server's certificate (" + subject + ") was rejected: " + error.getMessage(), error);
    }

    /** Whether the chain passes every check but the host name's. */
    private boolean chainTrusted(X509Certificate[] chain, String authType) {
        try {
            delegate.checkServerTrusted(chain, authType); // without an engine: no endpoint identification
            return true;
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }

    /** The names a certificate is valid for: its DNS and IP subject alternative names, else its subject. */
    static String names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    int type = (Integer) entry.get(0);
                    if (type == 2) {
                        names.add("DNS:" + entry.get(1));
                    } else if (type == 7) {
                        names.add("IP:" + entry.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            names.add("(unreadable subject alternative names)");
        }
        return names.isEmpty()
                ? "no subject alternative name, only the subject "
                        + certificate.getSubjectX500Principal().getName()
                : String.join(", ", names);
    }
}
