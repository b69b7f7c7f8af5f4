/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.Proxy;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.testing.ClientFixture;
import dev.tether.testing.TestProxy;
import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import dev.tether.testkit.TestCertificates;
import dev.tether.tls.Tls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Through in-JVM SOCKS5, SOCKS4a and HTTP CONNECT proxies to in-JVM servers: what works, and what each refusal says. */
class ProxyIT extends ClientFixture {
    @TempDir
    Path dir;

    ProxyIT() {
        super("proxy", ReconnectPolicy.disabled());
    }

    private TestProxy proxy(TestProxy proxy) {
        return resources.track(proxy);
    }

    /** Connects to {@code host:port} through {@code proxy}, sends a line and returns the echo. */
    private Optional<String> echoThrough(Proxy proxy, String host, int port) throws Exception {
        Connection<String> connection = connect(
                client(config(port).remoteAddress(host, port).proxy(proxy).build()));
        connection.send("through the tunnel").get(10, TimeUnit.SECONDS);
        return connection.receive(WAIT);
    }

    private String failureThrough(Proxy proxy, String host, int port) {
        Throwable e = failure(
                client(config(port).remoteAddress(host, port).proxy(proxy).build())
                        .connect());
        assertInstanceOf(ConnectFailedException.class, e);
        return e.getMessage();
    }

    @Test
    void socks5LetsTheProxyResolveTheName() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        TestProxy socks = proxy(TestProxy.socks5());
        assertEquals(
                Optional.of("through the tunnel"),
                echoThrough(Proxy.socks5("127.0.0.1", socks.port()), "localhost", server.port()));
        assertEquals(List.of("localhost:" + server.port()), socks.requestedTargets()); // the name, not an address
        ConnectedEvent connected = events.await(ConnectedEvent.class, WAIT);
        assertEquals(InetSocketAddress.createUnresolved("localhost", server.port()), connected.remoteAddress());
    }

    @Test
    void localResolutionSendsTheAddress() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        TestProxy socks = proxy(TestProxy.socks5());
        Proxy local = Proxy.socks5("127.0.0.1", socks.port()).withLocalResolution();
        assertEquals(Optional.of("through the tunnel"), echoThrough(local, "localhost", server.port()));
        String target = socks.requestedTargets().get(0);
        assertTrue(target.matches("(127\\.0\\.0\\.1|\\[?0:0:0:0:0:0:0:1\\]?|\\[?::1\\]?):" + server.port()), target);
    }

    @Test
    void localResolutionSendsTheAddressToAnHttpProxyToo() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        TestProxy http = proxy(TestProxy.http());
        Proxy local = Proxy.http("127.0.0.1", http.port()).withLocalResolution();
        assertEquals(Optional.of("through the tunnel"), echoThrough(local, "localhost", server.port()));
        String target = http.requestedTargets().get(0);
        assertTrue(target.matches("(127\\.0\\.0\\.1|\\[0:0:0:0:0:0:0:1\\]|\\[::1\\]):" + server.port()), target);
    }

    @Test
    void socks5WithAUserAndPassword() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        TestProxy socks = proxy(TestProxy.socks5("reader", "secret"));
        Proxy right = Proxy.socks5("127.0.0.1", socks.port()).withCredentials("reader", "secret");
        assertEquals(Optional.of("through the tunnel"), echoThrough(right, "127.0.0.1", server.port()));

        Proxy wrong = Proxy.socks5("127.0.0.1", socks.port()).withCredentials("reader", "guess");
        assertEquals(
                "SOCKS5 proxy 127.0.0.1:" + socks.port() + " rejected the user name or password of user reader",
                failureThrough(wrong, "127.0.0.1", server.port()));
        Proxy none = Proxy.socks5("127.0.0.1", socks.port());
        assertEquals(
                "SOCKS5 proxy 127.0.0.1:" + socks.port() + " accepts none of the client's authentication methods;"
                        + " it may need a user name and password (Proxy.withCredentials)",
                failureThrough(none, "127.0.0.1", server.port()));
    }

    @Test
    void aRuleRefusalNamesTheProxyTheServerAndTheReason() {
        TestProxy socks = proxy(TestProxy.socks5().forbid("feed.internal"));
        assertEquals(
                "SOCKS5 proxy 127.0.0.1:" + socks.port() + " refused the connection to feed.internal:9000: connection"
                        + " not allowed by ruleset",
                failureThrough(Proxy.socks5("127.0.0.1", socks.port()), "feed.internal", 9000));
    }

    @Test
    void aServerThatRefusesIsReportedByTheProxy() throws Exception {
        int closed = freePort();
        TestProxy socks = proxy(TestProxy.socks5());
        assertEquals(
                "SOCKS5 proxy 127.0.0.1:" + socks.port() + " could not reach 127.0.0.1:" + closed
                        + ": connection refused",
                failureThrough(Proxy.socks5("127.0.0.1", socks.port()), "127.0.0.1", closed));
        TestProxy http = proxy(TestProxy.http());
        assertEquals(
                "HTTP proxy 127.0.0.1:" + http.port() + " could not open the way to 127.0.0.1:" + closed
                        + ": 502 Bad Gateway",
                failureThrough(Proxy.http("127.0.0.1", http.port()), "127.0.0.1", closed));
    }

    @Test
    void aServerThatIsNoProxyIsCalledSo() {
        ScriptedServer notAProxy = scripted(
                Script.create().sendLines("220 welcome to a mail server").stall());
        assertEquals(
                "127.0.0.1:" + notAProxy.port()
                        + " did not answer as a SOCKS5 proxy (on the way to feed.internal:9000):"
                        + " is it one, and on that port?",
                failureThrough(Proxy.socks5("127.0.0.1", notAProxy.port()), "feed.internal", 9000));
        assertEquals(
                "127.0.0.1:" + notAProxy.port() + " did not answer as an HTTP proxy (on the way to feed.internal:9000):"
                        + " is it one, and on that port?",
                failureThrough(Proxy.http("127.0.0.1", notAProxy.port()), "feed.internal", 9000));
    }

    @Test
    void anHttpProxysUnauthorizedForCredentialsSaysTheyWereRejected() {
        // tinyproxy answers wrong credentials with 401 rather than 407
        ScriptedServer proxy = scripted(Script.create()
                .waitForLine("a CONNECT", line -> line.startsWith("CONNECT "))
                .send("HTTP/1.0 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
                .close());
        assertEquals(
                "HTTP proxy 127.0.0.1:" + proxy.port() + " rejected the user name or password of user reader (401"
                        + " Unauthorized)",
                failureThrough(
                        Proxy.http("127.0.0.1", proxy.port()).withCredentials("reader", "guess"),
                        "feed.internal",
                        9000));
    }

    @Test
    void aSocks4ProxyWithout4aIsToldApart() {
        // a plain SOCKS 4 server takes the 4a marker address for the destination, and rejects it
        ScriptedServer socks4 = scripted(
                Script.create().send(new byte[] {0, 0x5B, 0, 0, 0, 0, 0, 0}).stall());
        assertEquals(
                "SOCKS4a proxy 127.0.0.1:" + socks4.port() + " refused the connection to feed.internal:9000: request"
                        + " rejected or failed (a SOCKS 4 proxy without 4a takes no host names: try SOCKS5, or"
                        + " Proxy.withLocalResolution())",
                failureThrough(Proxy.socks4a("127.0.0.1", socks4.port()), "feed.internal", 9000));
    }

    @Test
    void aProxyThatIsDownIsNamedWithTheServer() throws Exception {
        int down = freePort();
        assertEquals(
                "connect to SOCKS5 proxy 127.0.0.1:" + down + " on the way to feed.internal:9000 failed: Connection"
                        + " refused",
                failureThrough(Proxy.socks5("127.0.0.1", down), "feed.internal", 9000));
    }

    @Test
    void socks4aSendsTheName() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        TestProxy socks = proxy(TestProxy.socks4("ident"));
        Proxy proxy = Proxy.socks4a("127.0.0.1", socks.port()).withCredentials("ident", null);
        assertEquals(Optional.of("through the tunnel"), echoThrough(proxy, "localhost", server.port()));
        assertEquals(List.of("localhost:" + server.port()), socks.requestedTargets());
        assertEquals(
                "SOCKS4a proxy 127.0.0.1:" + socks.port() + " refused the connection to localhost:" + server.port()
                        + ": the user id was not accepted",
                failureThrough(Proxy.socks4a("127.0.0.1", socks.port()), "localhost", server.port()));
    }

    @Test
    void httpConnectWithAndWithoutAuthentication() throws Exception {
        ScriptedServer server = scripted(Script.create().echoing());
        TestProxy open = proxy(TestProxy.http());
        assertEquals(
                Optional.of("through the tunnel"),
                echoThrough(Proxy.http("127.0.0.1", open.port()), "localhost", server.port()));
        assertEquals(List.of("localhost:" + server.port()), open.requestedTargets());

        TestProxy guarded = proxy(TestProxy.http("reader", "secret"));
        Proxy withCredentials = Proxy.http("127.0.0.1", guarded.port()).withCredentials("reader", "secret");
        assertEquals(Optional.of("through the tunnel"), echoThrough(withCredentials, "localhost", server.port()));
        assertEquals(
                "HTTP proxy 127.0.0.1:" + guarded.port() + " requires authentication (Proxy.withCredentials) (407 Proxy"
                        + " Authentication Required)",
                failureThrough(Proxy.http("127.0.0.1", guarded.port()), "localhost", server.port()));
    }

    @Test
    void tlsThroughAProxyChecksTheServersNameNotTheProxys() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("Proxy Test CA");
        ScriptedServer server = resources.track(ScriptedServer.startTls(
                ca.issue("server", "localhost").sslContext(), Script.create().sendLines("secret feed")));
        TestProxy socks = proxy(TestProxy.socks5());
        Connection<String> connection = connect(client(config(server.port())
                .remoteAddress("localhost", server.port())
                .proxy(Proxy.socks5("127.0.0.1", socks.port())) // the certificate does not name 127.0.0.1
                .tls(Tls.trustPem(ca.writeCertificate(dir.resolve("ca.pem"))))
                .build()));
        assertEquals(Optional.of("secret feed"), connection.receive(WAIT));
    }

    @Test
    void reconnectsGoThroughTheProxyToo() throws Exception {
        ScriptedServer server = scripted(
                List.of(Script.create().sendLines("first").close()),
                Script.create().sendLines("second"));
        TestProxy socks = proxy(TestProxy.socks5());
        Connection<String> connection = connect(client(config(server.port())
                .remoteAddress("localhost", server.port())
                .proxy(Proxy.socks5("127.0.0.1", socks.port()))
                .reconnect(QUICK)
                .build()));
        assertEquals(Optional.of("first"), connection.receive(WAIT));
        assertEquals(Optional.of("second"), connection.receive(WAIT));
        assertEquals(List.of("localhost:" + server.port(), "localhost:" + server.port()), socks.requestedTargets());
    }

    @Test
    void theConnectTimeoutCoversTheProxysHandshake() {
        ScriptedServer silent = scripted(Script.create().stopReading()); // accepts, never answers
        Throwable e = failure(client(config(9000)
                        .remoteAddress("feed.internal", 9000)
                        .proxy(Proxy.socks5("127.0.0.1", silent.port()))
                        .connectTimeout(Duration.ofMillis(300))
                        .build())
                .connect());
        assertEquals(
                "SOCKS5 proxy 127.0.0.1:" + silent.port() + " did not open the way to feed.internal:9000 within 300"
                        + " ms (the connect timeout covers the connect to the proxy and its handshake)",
                e.getMessage());
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
