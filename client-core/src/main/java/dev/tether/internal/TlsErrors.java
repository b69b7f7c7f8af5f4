/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.internal.ExplainingTrustManager.UntrustedServerException;
import dev.tether.tls.Tls;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Says why a TLS handshake or session failed, in words a person can act on, from the exception's type and alert. */
final class TlsErrors {
    /** The alerts a server sends when it does not accept the client's certificate, or the lack of one. */
    private static final List<String> CLIENT_CERTIFICATE_ALERTS = List.of(
            "bad_certificate",
            "unknown_ca",
            "certificate_unknown",
            "unsupported_certificate",
            "certificate_revoked",
            "certificate_expired",
            "access_denied",
            "decrypt_error");

    private TlsErrors() {}

    /**
     * Explains {@code error}, a failure of the TLS session with {@code target} ({@code host:port}).
     *
     * @param request the server's request for a client certificate during the handshake, or null if it made none
     */
    static String explain(Throwable error, Tls tls, TlsContext.CertificateRequest request, String target) {
        boolean asked = request != null;
        UntrustedServerException untrusted = find(error, UntrustedServerException.class);
        if (untrusted != null) {
            return untrusted.getMessage();
        }
        if (find(error, SslHandshakeTimeoutException.class) != null) {
            return "the TLS handshake did not finish within " + time(tls.handshakeTimeout())
                    + ": the server accepted the connection but did not answer as a TLS server (is " + target
                    + " a TLS port?)";
        }
        if (find(error, NotSslRecordException.class) != null) {
            return "the server did not answer with TLS: is " + target + " a plain-text port?";
        }
        boolean hasCertificate =
                tls.clientCertificateChain().isPresent() || tls.clientKeyStore().isPresent();
        String alert = alert(error);
        if (alert != null) {
            if (hasCertificate && asked && !request.sent()) {
                return "the server asks for a client certificate"
                        + (request.issuers().isEmpty() ? "" : " issued by " + request.issuers())
                        + ", and the one set does not fit (another issuer, or a key type the server does not take),"
                        + " so none was sent (TLS alert " + alert + ")";
            }
            if (alert.equals("certificate_required")
                    || (asked
                            && !hasCertificate
                            && (alert.equals("handshake_failure") || CLIENT_CERTIFICATE_ALERTS.contains(alert)))) {
                return hasCertificate
                        ? "the server did not accept the client certificate (TLS alert " + alert + ")"
                        : "the server requires a client certificate, and none is set (TLS alert " + alert
                                + "); set one with Tls.withClientCertificate";
            }
            if (hasCertificate && CLIENT_CERTIFICATE_ALERTS.contains(alert)) {
                return "the server rejected the client certificate (TLS alert " + alert
                        + "): check that the server trusts its issuer and that it has not expired";
            }
            if (alert.equals("handshake_failure") || alert.equals("protocol_version")) {
                return "the server ended the handshake (TLS alert " + alert + "): no protocol version or cipher suite"
                        + " in common" + limits(tls);
            }
            return "the server ended the TLS handshake with alert " + alert;
        }
        SSLException ssl = find(error, SSLException.class);
        if (ssl != null && String.valueOf(ssl.getMessage()).contains("No appropriate protocol")) {
            return "no protocol version or cipher suite is allowed" + limits(tls) + ": " + ssl.getMessage();
        }
        if (find(error, ClosedChannelException.class) != null
                || String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT).contains("closed")) {
            return "the server closed the connection during the TLS handshake"
                    + (asked && !hasCertificate ? " after asking for a client certificate, and none is set" : "");
        }
        Throwable shown = ssl != null ? ssl : error;
        return "TLS failed: " + shown.getClass().getSimpleName() + ": " + shown.getMessage();
    }

    private static String time(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String limits(Tls tls) {
        if (tls.protocols().isEmpty() && tls.ciphers().isEmpty()) {
            return "";
        }
        return " (this client allows " + (tls.protocols().isEmpty() ? "" : "protocols " + tls.protocols())
                + (tls.protocols().isEmpty() || tls.ciphers().isEmpty() ? "" : " and ")
                + (tls.ciphers().isEmpty() ? "" : "ciphers " + tls.ciphers()) + ")";
    }

    /**
     * The name of the TLS alert that ended the session, in the JDK's spelling ({@code "Received fatal alert:
     * certificate_required"}) or OpenSSL's ({@code "TLSV13_ALERT_CERTIFICATE_REQUIRED"}), or null.
     */
    static String alert(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            int jdk = message.indexOf("Received fatal alert: ");
            if (jdk >= 0) {
                return message.substring(jdk + "Received fatal alert: ".length())
                        .trim();
            }
            String upper = message.toUpperCase(Locale.ROOT);
            int openssl = upper.indexOf("_ALERT_");
            if (openssl >= 0) {
                int start = openssl + "_ALERT_".length();
                int end = start;
                while (end < upper.length()
                        && (Character.isLetterOrDigit(upper.charAt(end)) || upper.charAt(end) == '_')) {
                    end++;
                }
                return upper.substring(start, end).toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** The first of {@code error}'s cause chain (itself included) that is a {@code type}, or null. */
    static <E extends Throwable> E find(Throwable error, Class<E> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
