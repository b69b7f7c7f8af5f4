/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.tls;

import java.net.IDN;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How a client encrypts its connections: whom it trusts, which certificate it presents, and how it checks that it
 * reached the right server. Off unless a config sets one with {@code ClientConfig.Builder.tls(Tls)}.
 *
 * <p>The defaults are the safe ones: the server's certificate must chain to a trusted certificate and name the host
 * the client connects to (the same check a browser makes), and the client sends that host name in SNI. Immutable: each
 * {@code with...} method returns a new instance, so one {@code Tls} can serve many clients.
 *
 * <pre>{@code
 * Tls.system();                                            // the JDK's trusted CAs
 * Tls.trustPem(Path.of("ca.pem"));                         // a private CA
 * Tls.trustPem(Path.of("ca.pem"))
 *         .withClientCertificate(Path.of("client.pem"), Path.of("client.key"))   // mutual TLS
 *         .withServerName("feed.internal");                // the name the certificate has, for an IP address
 * }</pre>
 *
 * <p>Files (trusted certificates, client certificate and key) are read when the client is created and read again
 * before a connect when one of them changed, so a client that runs for months picks up renewed certificates without a
 * restart. A {@link KeyStore} is read when the client is created.
 *
 * @since 0.1
 */
public final class Tls {
    private static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LONGEST_HANDSHAKE_TIMEOUT = Duration.ofHours(1);

    private final Trust trust;
    private final Path trustedCertificates; // PEM: null unless trust == PEM
    private final KeyStore trustStore; // null unless trust == STORE
    private final Path clientCertificateChain; // PEM, with clientKey; null: none
    private final Path clientKey;
    private final char[] clientKeyPassword; // null: the key is not encrypted
    private final KeyStore clientKeyStore; // null: none
    private final char[] clientKeyStorePassword;
    private final String serverName; // null: the host connected to
    private final List<String> protocols; // empty: the provider's defaults
    private final List<String> ciphers; // empty: the provider's defaults
    private final Duration handshakeTimeout;
    private final TlsProvider provider;

    /** Where trust comes from. */
    private enum Trust {
        SYSTEM,
        PEM,
        STORE,
        EVERYTHING
    }

    /** The settings while one {@code with...} method changes them. */
    private static final class Parts {
        Trust trust;
        Path trustedCertificates;
        KeyStore trustStore;
        Path clientCertificateChain;
        Path clientKey;
        char[] clientKeyPassword;
        KeyStore clientKeyStore;
        char[] clientKeyStorePassword;
        String serverName;
        List<String> protocols = List.of();
        List<String> ciphers = List.of();
        Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        TlsProvider provider = TlsProvider.AUTO;
    }

    private Tls(Parts p) {
        this.trust = p.trust;
        this.trustedCertificates = p.trustedCertificates;
        this.trustStore = p.trustStore;
        this.clientCertificateChain = p.clientCertificateChain;
        this.clientKey = p.clientKey;
        this.clientKeyPassword = p.clientKeyPassword;
        this.clientKeyStore = p.clientKeyStore;
        this.clientKeyStorePassword = p.clientKeyStorePassword;
        this.serverName = p.serverName;
        this.protocols = p.protocols;
        this.ciphers = p.ciphers;
        this.handshakeTimeout = p.handshakeTimeout;
        this.provider = p.provider;
    }

    private static Tls trusting(Trust trust, Path certificates, KeyStore store) {
        Parts p = new Parts();
        p.trust = trust;
        p.trustedCertificates = certificates;
        p.trustStore = store;
        return new Tls(p);
    }

    /** Returns a copy of these settings with {@code change} applied. */
    private Tls with(Consumer<Parts> change) {
        Parts p = new Parts();
        p.trust = trust;
        p.trustedCertificates = trustedCertificates;
        p.trustStore = trustStore;
        p.clientCertificateChain = clientCertificateChain;
        p.clientKey = clientKey;
        p.clientKeyPassword = clientKeyPassword;
        p.clientKeyStore = clientKeyStore;
        p.clientKeyStorePassword = clientKeyStorePassword;
        p.serverName = serverName;
        p.protocols = protocols;
        p.ciphers = ciphers;
        p.handshakeTimeout = handshakeTimeout;
        p.provider = provider;
        change.accept(p);
        return new Tls(p);
    }

    /**
     * Trusts the certificate authorities the JDK trusts: its {@code cacerts}, or the trust store named by the {@code
     * javax.net.ssl.trustStore} system property.
     *
     * @return the settings
     */
    public static Tls system() {
        return trusting(Trust.SYSTEM, null, null);
    }

    /**
     * Trusts only the certificates in a PEM file: one or more {@code -----BEGIN CERTIFICATE-----} blocks, usually a
     * private CA's certificate (a self-signed server certificate works too). The file is read again before a connect
     * when it changed.
     *
     * @param certificates the PEM file
     * @return the settings
     */
    public static Tls trustPem(Path certificates) {
        return trusting(Trust.PEM, Objects.requireNonNull(certificates, "certificates"), null);
    }

    /**
     * Trusts the certificates of a key store's trusted entries, read when the client is created.
     *
     * @param trustStore a loaded key store
     * @return the settings
     */
    public static Tls trustStore(KeyStore trustStore) {
        return trusting(Trust.STORE, null, Objects.requireNonNull(trustStore, "trustStore"));
    }

    /**
     * Trusts every certificate and checks no name: the connection is encrypted, but anyone on the path can read and
     * change it. For a local test against a server with a throw-away certificate only; every connect logs a WARN
     * saying so. To trust a test server properly, {@link #trustPem} its certificate.
     *
     * @return the settings
     */
    public static Tls insecureTrustAll() {
        return trusting(Trust.EVERYTHING, null, null);
    }

    /**
     * Presents a client certificate when the server asks for one (mutual TLS), from PEM files. The key may be PKCS#8
     * ({@code BEGIN PRIVATE KEY}) or a traditional RSA or EC key ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC
     * PRIVATE KEY}). Replaces any earlier client certificate.
     *
     * @param certificateChain the client's certificate, then any intermediates, in PEM
     * @param privateKey the certificate's private key, unencrypted, in PEM
     * @return new settings
     */
    public Tls withClientCertificate(Path certificateChain, Path privateKey) {
        return withClientKey(
                Objects.requireNonNull(certificateChain, "certificateChain"),
                Objects.requireNonNull(privateKey, "privateKey"),
                null,
                null,
                null);
    }

    /**
     * Same as {@link #withClientCertificate(Path, Path)}, for a key encrypted with {@code password}: PKCS#8 ({@code
     * BEGIN ENCRYPTED PRIVATE KEY}) or a traditional key with a {@code DEK-Info} header (AES or DES-EDE3 CBC).
     *
     * @param certificateChain the client's certificate, then any intermediates, in PEM
     * @param privateKey the encrypted private key, in PEM
     * @param password the key's password; copied
     * @return new settings
     */
    public Tls withClientCertificate(Path certificateChain, Path privateKey, char[] password) {
        return withClientKey(
                Objects.requireNonNull(certificateChain, "certificateChain"),
                Objects.requireNonNull(privateKey, "privateKey"),
                Objects.requireNonNull(password, "password").clone(),
                null,
                null);
    }

    /**
     * Presents a client certificate from a key store's private-key entry (a PKCS#12 or JKS file loaded by the caller).
     * Replaces any earlier client certificate.
     *
     * @param keyStore a loaded key store with one private-key entry
     * @param password the entry's password; copied
     * @return new settings
     */
    public Tls withClientKeyStore(KeyStore keyStore, char[] password) {
        return withClientKey(
                null,
                null,
                null,
                Objects.requireNonNull(keyStore, "keyStore"),
                Objects.requireNonNull(password, "password").clone());
    }

    private Tls withClientKey(Path chain, Path key, char[] keyPassword, KeyStore store, char[] storePassword) {
        return with(p -> {
            p.clientCertificateChain = chain;
            p.clientKey = key;
            p.clientKeyPassword = keyPassword;
            p.clientKeyStore = store;
            p.clientKeyStorePassword = storePassword;
        });
    }

    /**
     * Sets the name to check the server's certificate against, and to send in SNI, in place of the host connected
     * to: for a server reached by IP address (or through a tunnel) whose certificate names a host.
     *
     * @param name a DNS host name (an IP address is checked against the certificate's IP entries and not sent in SNI)
     * @return new settings
     * @throws IllegalArgumentException if {@code name} is blank or not a valid host name
     */
    public Tls withServerName(String name) {
        Objects.requireNonNull(name, "serverName");
        if (name.isBlank()) {
            throw new IllegalArgumentException("serverName must not be blank");
        }
        try {
            IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            if (!name.contains(":")) { // an IPv6 literal is not a host name, and fine
                throw new IllegalArgumentException("serverName is not a valid host name: \"" + name + "\"", e);
            }
        }
        return with(p -> p.serverName = name);
    }

    /**
     * Limits the protocol versions, for example {@code "TLSv1.3"}. Default: the provider's (TLS 1.2 and 1.3 on current
     * JDKs).
     *
     * @param protocols one or more protocol names, as the provider spells them
     * @return new settings
     * @throws IllegalArgumentException if none is given or one is blank
     */
    public Tls withProtocols(String... protocols) {
        List<String> names = names("protocols", protocols);
        return with(p -> p.protocols = names);
    }

    /**
     * Limits the cipher suites, in order of preference, for example {@code "TLS_AES_128_GCM_SHA256"}. Default: the
     * provider's.
     *
     * @param ciphers one or more cipher suite names (IANA names)
     * @return new settings
     * @throws IllegalArgumentException if none is given or one is blank
     */
    public Tls withCiphers(String... ciphers) {
        List<String> names = names("ciphers", ciphers);
        return with(p -> p.ciphers = names);
    }

    /**
     * Sets how long the TLS handshake may take once the TCP connection is up; a server that accepts and says nothing
     * fails the connect after it. Default: 10 seconds.
     *
     * @param timeout more than zero, at most an hour
     * @return new settings
     * @throws IllegalArgumentException if {@code timeout} is outside that range
     */
    public Tls withHandshakeTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "handshakeTimeout");
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(LONGEST_HANDSHAKE_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "handshakeTimeout must be more than 0 and at most 1 hour, was " + timeout);
        }
        return with(p -> p.handshakeTimeout = timeout);
    }

    /**
     * Chooses the TLS implementation. Default: {@link TlsProvider#AUTO}.
     *
     * @param provider the implementation
     * @return new settings
     */
    public Tls withProvider(TlsProvider provider) {
        Objects.requireNonNull(provider, "provider");
        return with(p -> p.provider = provider);
    }

    /** {@return the PEM file of trusted certificates, if trust comes from one} */
    public Optional<Path> trustedCertificates() {
        return Optional.ofNullable(trustedCertificates);
    }

    /** {@return the key store of trusted certificates, if trust comes from one} */
    public Optional<KeyStore> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    /** {@return whether these settings trust every certificate: see {@link #insecureTrustAll()}} */
    public boolean trustsAll() {
        return trust == Trust.EVERYTHING;
    }

    /** {@return the PEM file of the client certificate chain, if one was set} */
    public Optional<Path> clientCertificateChain() {
        return Optional.ofNullable(clientCertificateChain);
    }

    /** {@return the PEM file of the client certificate's private key, if one was set} */
    public Optional<Path> clientKey() {
        return Optional.ofNullable(clientKey);
    }

    /** {@return a copy of the client key's password, if it has one} */
    public Optional<char[]> clientKeyPassword() {
        return Optional.ofNullable(clientKeyPassword).map(char[]::clone);
    }

    /** {@return the key store with the client certificate, if one was set} */
    public Optional<KeyStore> clientKeyStore() {
        return Optional.ofNullable(clientKeyStore);
    }

    /** {@return a copy of the client key store entry's password, if a key store was set} */
    public Optional<char[]> clientKeyStorePassword() {
        return Optional.ofNullable(clientKeyStorePassword).map(char[]::clone);
    }

    /** {@return the name checked and sent in SNI in place of the host connected to, if one was set} */
    public Optional<String> serverName() {
        return Optional.ofNullable(serverName);
    }

    /** {@return the protocol versions allowed; empty for the provider's defaults} */
    public List<String> protocols() {
        return protocols;
    }

    /** {@return the cipher suites allowed; empty for the provider's defaults} */
    public List<String> ciphers() {
        return ciphers;
    }

    /** {@return how long the handshake may take} */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** {@return the implementation asked for} */
    public TlsProvider provider() {
        return provider;
    }

    private static List<String> names(String what, String... names) {
        Objects.requireNonNull(names, what);
        if (names.length == 0) {
            throw new IllegalArgumentException(what + " must name at least one");
        }
        for (String name : names) {
            Objects.requireNonNull(name, what + " element");
            if (name.isBlank()) {
                throw new IllegalArgumentException(what + " must not contain a blank name: " + Arrays.toString(names));
            }
        }
        return List.of(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tls other
                && trust == other.trust
                && Objects.equals(trustedCertificates, other.trustedCertificates)
                && trustStore == other.trustStore
                && Objects.equals(clientCertificateChain, other.clientCertificateChain)
                && Objects.equals(clientKey, other.clientKey)
                && Arrays.equals(clientKeyPassword, other.clientKeyPassword)
                && clientKeyStore == other.clientKeyStore
                && Arrays.equals(clientKeyStorePassword, other.clientKeyStorePassword)
                && Objects.equals(serverName, other.serverName)
                && protocols.equals(other.protocols)
                && ciphers.equals(other.ciphers)
                && handshakeTimeout.equals(other.handshakeTimeout)
                && provider == other.provider;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                trust,
                trustedCertificates,
                System.identityHashCode(trustStore),
                clientCertificateChain,
                clientKey,
                System.identityHashCode(clientKeyStore),
                serverName,
                protocols,
                ciphers,
                handshakeTimeout,
                provider);
    }

    /** {@return the settings, for example {@code Tls{trust=PEM ca.pem, clientCertificate=client.pem, ...}}; never a password} */
    @Override
    public String toString() {
        String trusted = switch (trust) {
            case SYSTEM -> "system";
            case PEM -> "PEM " + trustedCertificates;
            case STORE -> "key store";
            case EVERYTHING -> "EVERYTHING (insecure)";
        };
        String client = clientCertificateChain != null
                ? clientCertificateChain + (clientKeyPassword != null ? " (encrypted key)" : "")
                : clientKeyStore != null ? "key store" : "none";
        return "Tls{trust=" + trusted
                + ", clientCertificate=" + client
                + (serverName != null ? ", serverName=" + serverName : "")
                + (protocols.isEmpty() ? "" : ", protocols=" + protocols)
                + (ciphers.isEmpty() ? "" : ", ciphers=" + ciphers)
                + ", handshakeTimeout=" + handshakeTimeout
                + ", provider=" + provider
                + "}";
    }
}
