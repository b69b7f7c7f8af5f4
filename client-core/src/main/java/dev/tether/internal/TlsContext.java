/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.tls.Tls;
import dev.tether.tls.TlsProvider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's TLS, built once from its {@link Tls} settings: the Netty {@link SslContext}, rebuilt before a connect
 * when one of the PEM files it came from changed, and a new {@link SslHandler} for each connection, set up to check
 * the server's name and send it in SNI.
 *
 * <p>Threads: any; {@link #newHandler} may run on several event loops at once.
 */
final class TlsContext {
    private static final Logger log = LoggerFactory.getLogger(TlsContext.class);
    /** The session value that holds the server's request for a client certificate. */
    private static final String REQUEST = "dev.tether.clientCertificateRequest";

    /**
     * The server asked for a client certificate issued by one of {@code issuers} (empty: any), and the client sent one
     * or, having none that fits, did not.
     */
    record CertificateRequest(boolean sent, String issuers) {}

    private final Tls tls;
    private final TlsProvider provider;
    /** Each handshake's request for a client certificate, kept by every context this one builds. */
    private final Map<SSLEngine, CertificateRequest> requests = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<Path> files;
    private List<Stamp> stamps; // guarded by this: the files as last read
    private SslContext context; // guarded by this

    /** What a file held when it was read: small files, compared whole, so no change can hide in a timestamp. */
    private record Stamp(byte[] content) {
        boolean same(Stamp other) {
            return Arrays.equals(content, other.content);
        }
    }

    private TlsContext(Tls tls, TlsProvider provider) {
        this.tls = tls;
        this.provider = provider;
        List<Path> paths = new ArrayList<>();
        tls.trustedCertificates().ifPresent(paths::add);
        tls.clientCertificateChain().ifPresent(paths::add);
        tls.clientKey().ifPresent(paths::add);
        this.files = List.copyOf(paths);
    }

    /**
     * Builds the context now, so that a missing file or a bad key fails the client's creation, not its first connect.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it, or the provider that is missing
     */
    static TlsContext create(Tls tls) {
        TlsContext context = new TlsContext(tls, resolve(tls.provider()));
        try {
            synchronized (context) {
                context.stamps = context.stamps();
                context.context = context.build();
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("tls: " + e.getMessage(), e);
        }
        return context;
    }

    /** The provider {@code AUTO} means here: OpenSSL where netty-tcnative loads, else the JDK's. */
    static TlsProvider resolve(TlsProvider asked) {
        return switch (asked) {
            case AUTO -> OpenSsl.isAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK;
            case JDK -> TlsProvider.JDK;
            case OPENSSL -> {
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalArgumentException(
                            "tls: the OpenSSL provider is not available: add io.netty:netty-tcnative-boringssl-static"
                                    + " to the class path, or use TlsProvider.JDK ("
                                    + OpenSsl.unavailabilityCause() + ")");
                }
                yield TlsProvider.OPENSSL;
            }
        };
    }

    TlsProvider provider() {
        return provider;
    }

    Tls settings() {
        return tls;
    }

    /**
     * Returns a handler for a new connection to {@code endpoint} (unresolved: its host is the name to check), first
     * rebuilding the context if a file changed since it was read (the files are small: reading them at each connect
     * costs less than the handshake). A file that cannot be read now keeps the context
     * from before, with a warning, so a certificate being replaced does not stop a reconnect.
     */
    SslHandler newHandler(ByteBufAllocator allocator, InetSocketAddress endpoint) {
        SslContext current = context(); // read again, if a file changed, by refresh() off the event loop
        String name = tls.serverName().orElse(endpoint.getHostString());
        SslHandler handler = current.newHandler(allocator, name, endpoint.getPort());
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(tls.trustsAll() ? null : "HTTPS");
        SNIHostName sni = sniName(name);
        if (sni != null) {
            parameters.setServerNames(List.of(sni));
        }
        engine.setSSLParameters(parameters);
        handler.setHandshakeTimeout(tls.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (tls.trustsAll()) {
            log.warn(
                    "TLS to {} trusts every certificate (Tls.insecureTrustAll()): anyone on the path can read and"
                            + " change this connection; for local tests only",
                    ConfigText.hostAndPort(endpoint));
        }
        return handler;
    }

    /**
     * The name to send in SNI, or null for none: an address, or a name SNI cannot carry ({@code my_service}, a trailing
     * dot), is checked against the certificate but not sent, as the JDK does.
     */
    static SNIHostName sniName(String name) {
        if (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
            return null;
        }
        try {
            return new SNIHostName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The request for a client certificate in {@code engine}'s handshake, failed or not; null if there was none. */
    CertificateRequest clientCertificateRequest(SSLEngine engine) {
        CertificateRequest request = requests.get(engine);
        return request != null ? request : sessionRequest(engine);
    }

    /** The request for a client certificate in the handshake that made {@code engine}'s session; null if none. */
    static CertificateRequest sessionRequest(SSLEngine engine) {
        return engine.getSession().getValue(REQUEST) instanceof CertificateRequest request ? request : null;
    }

    /** The context as last read; no file is touched, so an event loop may ask. */
    private synchronized SslContext context() {
        return context;
    }

    /**
     * Reads the files again if they changed and returns the context: file I/O, for a thread that may block (the
     * client's resolver thread, before each connect), never an event loop.
     */
    synchronized SslContext refresh() {
        if (files.isEmpty()) {
            return context;
        }
        try {
            List<Stamp> now = stamps();
            if (!same(now, stamps)) {
                context = build();
                stamps = now;
                log.info("TLS: read {} again after it changed", files);
            }
        } catch (IOException | GeneralSecurityException e) {
            log.warn("TLS: cannot read {} again ({}); connecting with what was read before", files, e.getMessage());
        }
        return context;
    }

    private List<Stamp> stamps() throws IOException {
        List<Stamp> out = new ArrayList<>();
        for (Path file : files) {
            try {
                out.add(new Stamp(Files.readAllBytes(file)));
            } catch (NoSuchFileException e) {
                throw new IOException("no such file: " + file, e);
            } catch (AccessDeniedException e) {
                throw new IOException("cannot read " + file + ": permission denied", e);
            }
        }
        return out;
    }

    private static boolean same(List<Stamp> a, List<Stamp> b) {
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).same(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private SslContext build() throws IOException, GeneralSecurityException {
        TrustManager trust = trustManager();
        // a key manager of its own, its key fixed: a rebuild never pairs one key with another certificate mid-handshake
        RecordingKeyManager keys = new RecordingKeyManager(requests, clientKeyManager());
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
                .trustManager(trust)
                .keyManager(keys);
        if (!tls.protocols().isEmpty()) {
            builder.protocols(tls.protocols());
        }
        if (!tls.ciphers().isEmpty()) {
            builder.ciphers(tls.ciphers());
        }
        try {
            return builder.build();
        } catch (IOException | IllegalArgumentException e) { // Netty's "SSLException" for unsupported settings
            throw new GeneralSecurityException("cannot set up TLS with " + tls + ": " + e.getMessage(), e);
        }
    }

    private TrustManager trustManager() throws IOException, GeneralSecurityException {
        if (tls.trustsAll()) {
            return InsecureTrustManagerFactory.INSTANCE.getTrustManagers()[0];
        }
        KeyStore store = null; // the JDK's trusted CAs
        String trusted = "the JDK's trusted certificates";
        if (tls.trustedCertificates().isPresent()) {
            Path file = tls.trustedCertificates().get();
            store = emptyStore();
            int n = 0;
            for (X509Certificate certificate : Pem.certificates(file)) {
                store.setCertificateEntry("trusted-" + n++, certificate);
            }
            trusted = "the certificates in " + file;
        } else if (tls.trustStore().isPresent()) {
            store = tls.trustStore().get();
            trusted = "the trust store's certificates";
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager x509) {
                return new ExplainingTrustManager(
                        x509, trusted, tls.serverName().isPresent());
            }
        }
        throw new GeneralSecurityException("the JDK's trust manager factory made no X.509 trust manager");
    }

    private X509ExtendedKeyManager clientKeyManager() throws IOException, GeneralSecurityException {
        KeyStore store;
        char[] password;
        if (tls.clientCertificateChain().isPresent()) {
            Path chain = tls.clientCertificateChain().get();
            char[] keyPassword = tls.clientKeyPassword().orElse(null);
            PrivateKey key = Pem.privateKey(tls.clientKey().orElseThrow(), keyPassword);
            List<X509Certificate> certificates = Pem.certificates(chain);
            checkPair(key, certificates.get(0), tls.clientKey().orElseThrow(), chain);
            password = new char[0];
            store = emptyStore();
            store.setKeyEntry("client", key, password, certificates.toArray(X509Certificate[]::new));
        } else if (tls.clientKeyStore().isPresent()) {
            store = tls.clientKeyStore().get();
            password = tls.clientKeyStorePassword().orElseThrow();
        } else {
            return null;
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        for (Object manager : factory.getKeyManagers()) {
            if (manager instanceof X509ExtendedKeyManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK's key manager factory made no X.509 key manager");
    }

    /** Fails unless {@code key} is the private key of {@code certificate}: a mismatch would send no certificate. */
    private static void checkPair(PrivateKey key, X509Certificate certificate, Path keyFile, Path chainFile)
            throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "RSASSA-PSS" -> key.getAlgorithm();
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return; // a key type this check does not know: the handshake will tell
        }
        boolean matches;
        try {
            byte[] probe = "tether key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                verifier.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            }
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            matches = verifier.verify(signature);
        } catch (InvalidKeyException e) {
            if (key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())) {
                return; // a key this probe cannot sign with (PSS limited to another digest, say): the handshake will
                // tell
            }
            matches = false; // an RSA key against an EC certificate, say
        }
        if (!matches) {
            String certificateAlgorithm = certificate.getPublicKey().getAlgorithm();
            throw new GeneralSecurityException(keyFile + " is not the private key of the certificate in " + chainFile
                    + " (" + certificate.getSubjectX500Principal().getName() + "): "
                    + (certificateAlgorithm.equals(key.getAlgorithm())
                            ? "they are of different key pairs"
                            : "the certificate holds " + article(certificateAlgorithm) + " key and the file "
                                    + article(key.getAlgorithm()) + " key"));
        }
    }

    private static String article(String algorithm) {
        return ("AEIORF".indexOf(algorithm.charAt(0)) >= 0 ? "an " : "a ") + algorithm;
    }

    private static KeyStore emptyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    /**
     * Presents the client certificate, if there is one, and remembers which handshakes asked for one, so a failure can
     * say "the server requires a client certificate".
     */
    private static final class RecordingKeyManager extends X509ExtendedKeyManager {
        private final Map<SSLEngine, CertificateRequest> requests;
        private final X509ExtendedKeyManager delegate; // null: no client certificate

        RecordingKeyManager(Map<SSLEngine, CertificateRequest> requests, X509ExtendedKeyManager delegate) {
            this.requests = requests;
            this.delegate = delegate;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            X509ExtendedKeyManager d = delegate;
            String alias = d == null ? null : d.chooseEngineClientAlias(keyType, issuers, engine);
            if (engine != null) {
                CertificateRequest request = new CertificateRequest(alias != null, names(issuers));
                requests.put(engine, request); // for a handshake that fails
                SSLSession session = engine.getHandshakeSession();
                if (session != null) {
                    session.putValue(REQUEST, request); // for one that succeeds and is refused after (TLS 1.3)
                }
            }
            return alias;
        }

        private static String names(Principal[] issuers) {
            if (issuers == null || issuers.length == 0) {
                return "";
            }
            StringBuilder out = new StringBuilder();
            for (Principal issuer : issuers) {
                out.append(out.length() == 0 ? "" : ", ").append(issuer.getName());
            }
            return out.toString();
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            X509ExtendedKeyManager d = delegate;
            return d == null ? null : d.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            X509ExtendedKeyManager d = delegate;
            return d == null ? null : d.getClientAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            X509ExtendedKeyManager d = delegate;
            return d == null ? null : d.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            X509ExtendedKeyManager d = delegate;
            return d == null ? null : d.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null; // a client only
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "TlsContext{" + Objects.toString(tls) + ", provider in use=" + provider + "}";
    }
}
