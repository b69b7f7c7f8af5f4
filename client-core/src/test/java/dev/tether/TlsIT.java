/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.Certificates;
import dev.tether.testing.Certificates.Authority;
import dev.tether.testing.Certificates.Issued;
import dev.tether.testing.Certificates.KeyFormat;
import dev.tether.testing.ClientFixture;
import dev.tether.testkit.Await;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import dev.tether.tls.Tls;
import dev.tether.tls.TlsProvider;
import io.netty.handler.ssl.OpenSsl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS against in-JVM TLS servers whose certificates the test makes: what works, and what each mistake says; on the JDK's
 * provider and on OpenSSL (BoringSSL) where netty-tcnative is on the class path.
 */
@ParameterizedClass
@EnumSource(
        value = TlsProvider.class,
        names = {"JDK", "OPENSSL"})
class TlsIT extends ClientFixture {
    @Parameter
    TlsProvider provider;

    @TempDir
    Path dir;

    private Authority ca;
    private Path caPem;

    TlsIT() {
        super("tls", ReconnectPolicy.disabled());
    }

    @BeforeEach
    void makeCa() {
        assumeTrue(provider != TlsProvider.OPENSSL || OpenSsl.isAvailable(), "netty-tcnative is not on the class path");
        ca = Certificates.authority("Tether Test CA");
        caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    }

    /** The client's config for {@code port} with {@code tls}, on the provider this run tests. */
    private ClientConfig.Builder<String> tlsConfig(int port, Tls tls) {
        return config(port).tls(tls.withProvider(provider));
    }

    /** A TLS server for 127.0.0.1 that requires a client certificate issued by the test's CA. */
    private ScriptedServer requiringClientCertificates(Script script) {
        SSLContext serverTls = ca.server("127.0.0.1").serverContext(ca.certificate());
        return resources.track(ScriptedServer.startTls(
                0, serverTls, Certificates.requireClientCertificate(serverTls), connection -> script));
    }

    private ScriptedServer tlsServer(Issued certificate, Script script) {
        return resources.track(ScriptedServer.startTls(certificate.serverContext(null), script));
    }

    /** Connects to {@code port} with {@code tls} and returns why it failed: the connect's cause, or the loss's. */
    private String failureOf(Tls tls, int port) throws Exception {
        TetherClient<String> client = client(tlsConfig(port, tls).build());
        Throwable e = failure(client.connect());
        assertInstanceOf(ConnectFailedException.class, e);
        return e.getMessage();
    }

    @Test
    void aTrustedServerCarriesTheStreamAndTheHookRunsAfterTheHandshake() throws Exception {
        ScriptedServer server = tlsServer(
                ca.server("localhost", "127.0.0.1"),
                Script.create()
                        .expectLine("SUBSCRIBE prices")
                        .sendLines("p1", "p2")
                        .echoing());
        TetherClient<String> client = client(tlsConfig(server.port(), Tls.trustPem(caPem))
                .onConnect(connection -> connection.send("SUBSCRIBE prices"))
                .build());
        assertEquals(Optional.of(provider), client.tlsProvider());
        Connection<String> connection = connect(client);

        assertEquals(Optional.of("p1"), connection.receive(WAIT));
        assertEquals(Optional.of("p2"), connection.receive(WAIT));
        connection.send("over TLS").get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("over TLS"), connection.receive(WAIT));
        server.assertNoFailures();
        assertEquals(Optional.empty(), server.connection(0).handshakeFailure());
    }

    /**
     * Connects and returns why the server refused the client's certificate: the connect fails, even over TLS 1.3, where
     * the client's side of the handshake ends before the server judges the certificate.
     */
    private String refusal(TetherClient<String> client) {
        Throwable e = failure(client.connect());
        assertInstanceOf(ConnectFailedException.class, e);
        assertEquals(List.of("ClosedEvent"), events.kinds()); // it never seemed connected
        return e.getMessage();
    }

    @Test
    void heartbeatsAndTheReadTimeoutWorkOverTls() throws Exception {
        ScriptedServer server = tlsServer(
                ca.server("127.0.0.1"),
                Script.create().expectLine("PING").expectLine("PING").stall());
        Connection<String> connection = connect(client(tlsConfig(server.port(), Tls.trustPem(caPem))
                .idle(IdlePolicy.readTimeout(Duration.ofMillis(600))
                        .withHeartbeat(Duration.ofMillis(100), () -> "PING"))
                .build()));
        server.awaitLines(0, 2, WAIT); // heartbeats, encrypted, while the server says nothing
        server.assertNoFailures();
        connection.closeFuture().get(10, TimeUnit.SECONDS); // and the silence ends the connection
        assertInstanceOf(
                IdleTimeoutException.class,
                events.await(DisconnectedEvent.class, WAIT).cause().getCause());
    }

    @Test
    void closeSendsCloseNotify() throws Exception {
        ScriptedServer server = tlsServer(ca.server("127.0.0.1"), Script.create());
        Connection<String> connection =
                connect(client(tlsConfig(server.port(), Tls.trustPem(caPem)).build()));
        connection.send("bye").get(10, TimeUnit.SECONDS);
        connection.close();
        // the JDK's TLS socket reads the end of the stream only from a close_notify; a bare FIN is an error
        Await.until(() -> server.connection(0).closedAt().isPresent(), WAIT, "the server to see the close");
        assertTrue(
                server.connection(0).receivedEndOfStream(), server.connection(0).toString());
        assertEquals(List.of("bye"), server.connection(0).receivedLines());
    }

    @Test
    void aServersCloseNotifyEndsTheConnection() throws Exception {
        // halfClose(): the server's TLS socket sends close_notify and keeps the TCP connection open, as stunnel does
        ScriptedServer server = tlsServer(
                ca.server("127.0.0.1"), Script.create().sendLines("bye").halfClose());
        Connection<String> connection =
                connect(client(tlsConfig(server.port(), Tls.trustPem(caPem)).build()));
        assertEquals(Optional.of("bye"), connection.receive(WAIT));
        connection.closeFuture().get(10, TimeUnit.SECONDS); // before the fix: open for as long as the server waited
        assertEquals(
                ConnectionClosedException.Reason.PEER,
                events.await(DisconnectedEvent.class, WAIT).cause().reason());
    }

    @Test
    void anUntrustedIssuerIsNamed() throws Exception {
        Authority other = Certificates.authority("Someone Else's CA");
        ScriptedServer server = tlsServer(other.server("127.0.0.1"), Script.create());
        String message = failureOf(Tls.trustPem(caPem), server.port());
        assertEquals(
                "TLS handshake with 127.0.0.1:" + server.port() + " failed: the server's certificate (CN=server) is"
                        + " not trusted: it was issued by CN=Someone Else's CA, which is not among the certificates in "
                        + caPem + "; trust that issuer's certificate (Tls.trustPem) if it is yours",
                message);
    }

    @Test
    void aNameMismatchNamesTheHostAndTheCertificatesNames() throws Exception {
        ScriptedServer server = tlsServer(
                ca.server("feed.internal", "10.1.2.3"), Script.create().sendLines("hi"));
        String message = failureOf(Tls.trustPem(caPem), server.port());
        assertEquals(
                "TLS handshake with 127.0.0.1:" + server.port() + " failed: the server's certificate does not name"
                        + " 127.0.0.1: it names DNS:feed.internal, IP:10.1.2.3; connect by one of those names, or set"
                        + " the name to check with Tls.withServerName",
                message);

        // the name the certificate has, checked in place of the address connected to
        Connection<String> connection =
                connect(client(tlsConfig(server.port(), Tls.trustPem(caPem).withServerName("feed.internal"))
                        .build()));
        assertEquals(Optional.of("hi"), connection.receive(WAIT));
    }

    @Test
    void anExpiredCertificateSaysWhen() throws Exception {
        Instant expired = Instant.parse("2025-01-31T00:00:00Z");
        Issued old = ca.issue("old", expired.minus(Duration.ofDays(90)), expired, "EC", "127.0.0.1");
        ScriptedServer server = tlsServer(old, Script.create());
        String message = failureOf(Tls.trustPem(caPem), server.port());
        assertTrue(
                message.contains("failed: the server's certificate (CN=old) expired on 2025-01-31T00:00:00Z (now "),
                message);
    }

    @Test
    void aPlainTextPortIsCalledOne() throws Exception {
        ScriptedServer plain = scripted(Script.create().sendLines("HELLO plain text"));
        String message = failureOf(Tls.trustPem(caPem), plain.port());
        assertEquals(
                "TLS handshake with 127.0.0.1:" + plain.port() + " failed: the server did not answer with TLS: is"
                        + " 127.0.0.1:" + plain.port() + " a plain-text port?",
                message);
    }

    @Test
    void aServerThatSaysNothingTimesTheHandshakeOut() throws Exception {
        ScriptedServer silent = scripted(Script.create().stopReading());
        String message = failureOf(Tls.trustPem(caPem).withHandshakeTimeout(Duration.ofMillis(300)), silent.port());
        assertEquals(
                "TLS handshake with 127.0.0.1:" + silent.port() + " failed: the TLS handshake did not finish within"
                        + " 300 ms: the server accepted the connection but did not answer as a TLS server (is 127.0.0.1:"
                        + silent.port() + " a TLS port?)",
                message);
    }

    @Test
    void mutualTlsPresentsTheClientCertificate() throws Exception {
        Issued clientCert = ca.client("reader-7");
        ScriptedServer server = requiringClientCertificates(Script.create().sendLines("welcome, reader-7"));
        char[] password = "s3cret".toCharArray();
        Tls tls = Tls.trustPem(caPem)
                .withClientCertificate(
                        clientCert.writeCertificate(dir.resolve("client.pem")),
                        clientCert.writeKey(dir.resolve("client.key"), KeyFormat.PKCS8_ENCRYPTED, password),
                        password);
        Connection<String> connection =
                connect(client(tlsConfig(server.port(), tls).build()));
        assertEquals(Optional.of("welcome, reader-7"), connection.receive(WAIT));
        assertEquals(Optional.empty(), server.connection(0).handshakeFailure());
    }

    @Test
    void aClientCertificateFromAnIssuerTheServerDoesNotTrustIsRefused() throws Exception {
        Authority other = Certificates.authority("Another CA");
        Issued stranger = other.client("stranger");
        ScriptedServer server = requiringClientCertificates(Script.create());
        Tls tls = Tls.trustPem(caPem)
                .withClientCertificate(
                        stranger.writeCertificate(dir.resolve("stranger.pem")),
                        stranger.writeKey(dir.resolve("stranger.key"), KeyFormat.PKCS8, null));
        String message = refusal(client(tlsConfig(server.port(), tls).build()));
        // over TLS 1.3 the JDK's client sends no certificate the server's list of issuers excludes; others send it
        assertTrue(
                message.contains("the server asks for a client certificate issued by CN=Tether Test CA, and the one"
                                + " set does not fit (another issuer, or a key type the server does not take), so none"
                                + " was sent (TLS alert ")
                        || message.contains("the server rejected the client certificate (TLS alert "),
                message);
    }

    @Test
    void aKeyThatIsNotTheCertificatesFailsTheClientsCreation() {
        Issued one = ca.client("one");
        Issued two = ca.client("two");
        Path chain = one.writeCertificate(dir.resolve("one.pem"));
        Path key = two.writeKey(dir.resolve("two.key"), KeyFormat.PKCS8, null);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TetherClient.create(config(1)
                        .tls(Tls.trustPem(caPem)
                                .withClientCertificate(chain, key)
                                .withProvider(provider))
                        .build()));
        assertEquals(
                "tls: " + key + " is not the private key of the certificate in " + chain
                        + " (CN=one): they are of different key pairs",
                e.getMessage());
    }

    @Test
    void aServerThatRequiresAClientCertificateSaysSo() throws Exception {
        ScriptedServer server = requiringClientCertificates(Script.create());
        String message =
                refusal(client(tlsConfig(server.port(), Tls.trustPem(caPem)).build()));
        assertTrue(message.startsWith("TLS handshake with 127.0.0.1:" + server.port() + " failed: "), message);
        // the JDK's server says bad_certificate, others certificate_required; either way the message says what to do
        assertTrue(message.contains("the server requires a client certificate, and none is set (TLS alert "), message);
        assertTrue(message.endsWith("; set one with Tls.withClientCertificate"), message);
        Await.until(() -> server.connection(0).handshakeFailure().isPresent(), WAIT, "the server's refusal");
    }

    @Test
    void overTls12TheRefusalFailsTheConnect() throws Exception {
        ScriptedServer server = requiringClientCertificates(Script.create());
        String message = failureOf(Tls.trustPem(caPem).withProtocols("TLSv1.2"), server.port());
        assertTrue(message.contains("the server requires a client certificate, and none is set"), message);
    }

    @Test
    void aRenewedCaIsReadAgainOnReconnect() throws Exception {
        Path trusted = dir.resolve("trusted.pem");
        Files.copy(caPem, trusted);
        ScriptedServer first = tlsServer(ca.server("127.0.0.1"), Script.create().sendLines("from the first"));
        int port = first.port();
        Connection<String> connection = connect(
                client(tlsConfig(port, Tls.trustPem(trusted)).reconnect(QUICK).build()));
        assertEquals(Optional.of("from the first"), connection.receive(WAIT));

        // the server comes back with a certificate from a new CA, which an operator installed meanwhile
        Authority renewed = Certificates.authority("Renewed CA");
        Path next = renewed.writeCertificate(dir.resolve("next.pem"));
        Files.move(next, trusted, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        first.close();
        events.await(DisconnectedEvent.class, WAIT);
        resources.track(ScriptedServer.startTls(
                port,
                renewed.server("127.0.0.1").serverContext(null),
                null,
                c -> Script.create().sendLines("from the renewed")));

        assertEquals(Optional.of("from the renewed"), connection.receive(WAIT));
        assertEquals(2, events.events(ConnectedEvent.class).size());
    }

    @Test
    void aRenewedClientCertificateIsReadAgainOnReconnect() throws Exception {
        ScriptedServer server = requiringClientCertificates(Script.create().sendLines("welcome"));
        Issued expired = ca.issue(
                "reader",
                Instant.now().minus(Duration.ofDays(60)),
                Instant.now().minus(Duration.ofDays(30)),
                "EC");
        Path chain = expired.writeCertificate(dir.resolve("client.pem"));
        Path key = expired.writeKey(dir.resolve("client.key"), KeyFormat.PKCS8, null);
        TetherClient<String> client =
                client(tlsConfig(server.port(), Tls.trustPem(caPem).withClientCertificate(chain, key))
                        .reconnect(ReconnectPolicy.fixed(Duration.ofMillis(50)))
                        .retryInitialConnect(true)
                        .build());
        CompletableFuture<Connection<String>> connecting = client.connect();
        ReconnectScheduledEvent refused = events.await(ReconnectScheduledEvent.class, WAIT); // the server refused it
        assertTrue(
                refused.cause().getMessage().contains("TLS handshake with"),
                refused.cause().getMessage());

        // the certificate is renewed on disk while the client retries; the next attempt reads the new files
        Issued renewed = ca.client("reader");
        Path newKey = renewed.writeKey(dir.resolve("client.key.new"), KeyFormat.PKCS8, null);
        Path newChain = renewed.writeCertificate(dir.resolve("client.pem.new"));
        Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(newChain, chain, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        Connection<String> connection = connecting.get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of("welcome"), connection.receive(WAIT));
    }

    @Test
    void insecureTrustAllAcceptsAnyCertificate() throws Exception {
        Authority stranger = Certificates.authority("Stranger");
        ScriptedServer server =
                tlsServer(stranger.server("elsewhere.example"), Script.create().sendLines("hi"));
        Connection<String> connection =
                connect(client(tlsConfig(server.port(), Tls.insecureTrustAll()).build()));
        assertEquals(Optional.of("hi"), connection.receive(WAIT));
    }

    @Test
    void aKeyStoreCarriesTrustAndTheClientCertificate() throws Exception {
        Issued clientCert = ca.client("store-client");
        ScriptedServer server = requiringClientCertificates(Script.create().sendLines("ok"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        Tls tls = Tls.trustStore(trust).withClientKeyStore(clientCert.keyStore(), new char[0]);
        Connection<String> connection =
                connect(client(tlsConfig(server.port(), tls).build()));
        assertEquals(Optional.of("ok"), connection.receive(WAIT));
    }

    @Test
    void aTlsAlertReadAsALengthPrefixIsRefusedWithoutAllocating() throws Exception {
        // a client without TLS on a TLS port: the server's alert (0x15 0x03 0x03 ...) arrives where a length belongs,
        // and says 352 MB; the decoder refuses it before allocating anything
        ScriptedServer server = tlsServer(ca.server("127.0.0.1"), Script.create());
        Connection<byte[]> connection = connect(client(config(ClientConfig.builder(Codec.bytes()), server.port())
                .framing(Framing.lengthField(4, 1 << 20))
                .build()));
        connection.send("not a ClientHello".getBytes(UTF_8));
        connection.closeFuture().get(10, TimeUnit.SECONDS);
        ConnectionClosedException cause =
                events.await(DisconnectedEvent.class, WAIT).cause();
        assertInstanceOf(FrameTooLongException.class, cause.getCause());
        assertTrue(cause.getMessage().contains("over maxLength 1048576"), cause.getMessage());
    }
}
