/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TestProxy} against clients that speak SOCKS5, SOCKS4a and HTTP CONNECT by hand over plain sockets, with an
 * echo server as the target.
 */
class TestProxyTest {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final byte[] PAYLOAD = "through the tunnel and back\n".getBytes(StandardCharsets.UTF_8);

    private final Resources resources = new Resources();
    private Echo echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = resources.track(Echo.start());
    }

    @AfterEach
    void closeAll() throws Exception {
        resources.closeAll();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SOCKS5

    @Test
    void socks5WithoutAuthenticationTunnelsToAnIpv4Target() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5());
        Socket client = connect(proxy);

        send(client, 5, 1, 0x00);
        assertArrayEquals(bytes(5, 0x00), read(client, 2), "no authentication selected");
        send(client, socks5Request(1, ipv4Target(echo.port())));
        assertEquals(0x00, socks5Reply(client), "succeeded");

        assertEchoesThenHalfCloses(client);
        assertEquals(List.of("127.0.0.1:" + echo.port()), proxy.requestedTargets());
        assertEquals(1, proxy.acceptedCount());
    }

    @Test
    void socks5ResolvesADomainNameAndRecordsTheName() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5());
        Socket client = connect(proxy);

        send(client, 5, 2, 0x02, 0x00); // offers username/password too; the proxy needs none
        assertArrayEquals(bytes(5, 0x00), read(client, 2));
        send(client, socks5Request(1, domainTarget("localhost", echo.port())));
        assertEquals(0x00, socks5Reply(client));

        assertEchoesThenHalfCloses(client);
        assertEquals(List.of("localhost:" + echo.port()), proxy.requestedTargets());
    }

    @Test
    void socks5WithTheRightPasswordTunnels() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5("alice", "s3cret"));
        Socket client = connect(proxy);

        send(client, 5, 2, 0x00, 0x02);
        assertArrayEquals(bytes(5, 0x02), read(client, 2), "username/password selected");
        send(client, socks5Credentials("alice", "s3cret"));
        assertArrayEquals(bytes(1, 0x00), read(client, 2), "authenticated");
        send(client, socks5Request(1, ipv4Target(echo.port())));
        assertEquals(0x00, socks5Reply(client));

        assertEchoesThenHalfCloses(client);
    }

    @Test
    void socks5WithAWrongPasswordIsRefusedAndClosed() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5("alice", "s3cret"));
        Socket client = connect(proxy);

        send(client, 5, 1, 0x02);
        assertArrayEquals(bytes(5, 0x02), read(client, 2));
        send(client, socks5Credentials("alice", "wrong"));
        assertArrayEquals(bytes(1, 0x01), read(client, 2), "authentication failed");

        assertClosedByProxy(client);
        assertEquals(List.of(), proxy.requestedTargets(), "no request came");
    }

    @Test
    void socks5WithCredentialsConfiguredRejectsAClientThatOffersNoAuthenticationOnly() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5("alice", "s3cret"));
        Socket client = connect(proxy);

        send(client, 5, 1, 0x00);
        assertArrayEquals(bytes(5, 0xFF), read(client, 2), "no acceptable method");
        assertClosedByProxy(client);
    }

    @Test
    void socks5ForbiddenTargetGetsNotAllowedByRuleset() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5().forbid("127.0.0.1").forbid("LocalHost"));

        Socket byAddress = connect(proxy);
        socks5NoAuth(byAddress);
        send(byAddress, socks5Request(1, ipv4Target(echo.port())));
        assertEquals(0x02, socks5Reply(byAddress), "connection not allowed by ruleset");
        assertClosedByProxy(byAddress);

        Socket byName = connect(proxy);
        socks5NoAuth(byName);
        send(byName, socks5Request(1, domainTarget("localhost", echo.port())));
        assertEquals(0x02, socks5Reply(byName), "a forbidden name, in any case");
        assertClosedByProxy(byName);

        assertEquals(List.of("127.0.0.1:" + echo.port(), "localhost:" + echo.port()), proxy.requestedTargets());
        assertEquals(0, echo.acceptedCount(), "the target was never contacted");
    }

    @Test
    void socks5RefusedTargetGetsConnectionRefused() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5());
        int closedPort = closedPort();
        Socket client = connect(proxy);
        socks5NoAuth(client);

        send(client, socks5Request(1, ipv4Target(closedPort)));

        assertEquals(0x05, socks5Reply(client), "connection refused");
        assertClosedByProxy(client);
    }

    @Test
    void socks5RecordsAnIpv6TargetInItsCompressedForm() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5().forbid("::1"));
        Socket client = connect(proxy);
        socks5NoAuth(client);
        byte[] loopback6 = new byte[16];
        loopback6[15] = 1;
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        target.write(0x04);
        target.writeBytes(loopback6);
        target.writeBytes(port(4242));

        send(client, socks5Request(1, target.toByteArray()));

        assertEquals(0x02, socks5Reply(client), "forbidden as ::1");
        assertEquals(List.of("[::1]:4242"), proxy.requestedTargets());
    }

    @Test
    void socks5AnswersCommandNotSupportedToBind() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5());
        Socket client = connect(proxy);
        socks5NoAuth(client);

        send(client, socks5Request(2, ipv4Target(echo.port())));

        assertEquals(0x07, socks5Reply(client), "command not supported");
        assertClosedByProxy(client);
        assertEquals(List.of(), proxy.requestedTargets(), "only CONNECT targets are recorded");
    }

    @Test
    void socks5ClosesOnGarbageAndServesTheNextClient() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5());
        Socket garbage = connect(proxy);
        send(garbage, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertClosedByProxy(garbage);

        Socket client = connect(proxy);
        socks5NoAuth(client);
        send(client, socks5Request(1, ipv4Target(echo.port())));
        assertEquals(0x00, socks5Reply(client));
        assertEchoesThenHalfCloses(client);
        assertEquals(2, proxy.acceptedCount());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SOCKS4 and SOCKS4a

    @Test
    void socks4aResolvesAHostNameAndRecordsTheName() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks4(null));
        Socket client = connect(proxy);

        send(client, socks4aRequest(echo.port(), "anyone", "localhost"));

        assertEquals(0x5A, socks4Reply(client), "granted");
        assertEchoesThenHalfCloses(client);
        assertEquals(List.of("localhost:" + echo.port()), proxy.requestedTargets());
    }

    @Test
    void socks4WithTheConfiguredUserIdTunnelsToAnIpv4Target() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks4("bob"));
        Socket client = connect(proxy);

        send(client, socks4Request(echo.port(), new byte[] {127, 0, 0, 1}, "bob"));

        assertEquals(0x5A, socks4Reply(client));
        assertEchoesThenHalfCloses(client);
        assertEquals(List.of("127.0.0.1:" + echo.port()), proxy.requestedTargets());
    }

    @Test
    void socks4WithAnotherUserIdIsRejected() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks4("bob"));
        Socket client = connect(proxy);

        send(client, socks4aRequest(echo.port(), "mallory", "localhost"));

        assertEquals(0x5D, socks4Reply(client), "user id mismatch");
        assertClosedByProxy(client);
        assertEquals(0, echo.acceptedCount());
    }

    @Test
    void socks4ForbiddenTargetIsRejected() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks4(null).forbid("localhost"));
        Socket client = connect(proxy);

        send(client, socks4aRequest(echo.port(), "", "localhost"));

        assertEquals(0x5B, socks4Reply(client), "rejected");
        assertClosedByProxy(client);
        assertEquals(0, echo.acceptedCount());
    }

    @Test
    void socks4RefusedTargetIsRejected() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks4(null));
        int closedPort = closedPort();
        Socket client = connect(proxy);

        send(client, socks4Request(closedPort, new byte[] {127, 0, 0, 1}, ""));

        assertEquals(0x5B, socks4Reply(client));
        assertClosedByProxy(client);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // HTTP CONNECT

    @Test
    void httpConnectWithoutAuthenticationTunnels() throws IOException {
        TestProxy proxy = resources.track(TestProxy.http());
        Socket client = connect(proxy);
        String target = "localhost:" + echo.port();

        send(
                client,
                ("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));

        assertEquals("HTTP/1.1 200 Connection established", readLine(client));
        assertEquals("", readLine(client), "no header, the tunnel starts after the empty line");
        assertEchoesThenHalfCloses(client);
        assertEquals(List.of(target), proxy.requestedTargets());
    }

    @Test
    void httpConnectForwardsWhatTheClientSentRightAfterTheRequest() throws IOException {
        TestProxy proxy = resources.track(TestProxy.http());
        Socket client = connect(proxy);

        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(
                ("CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(PAYLOAD); // before the answer, in the same segment
        send(client, request.toByteArray());

        assertEquals("HTTP/1.1 200 Connection established", readLine(client));
        assertEquals("", readLine(client));
        assertArrayEquals(PAYLOAD, read(client, PAYLOAD.length));
    }

    @Test
    void httpConnectWithRequiredAuthenticationAnswers407WithoutCredentials() throws IOException {
        TestProxy proxy = resources.track(TestProxy.http("carol", "pa:ss"));
        Socket client = connect(proxy);
        String target = "localhost:" + echo.port();

        send(
                client,
                ("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));

        assertEquals("HTTP/1.1 407 Proxy Authentication Required", readLine(client));
        assertTrue(readHeaders(client).contains("Proxy-Authenticate: Basic realm=\"test\""));
        assertClosedByProxy(client);
        assertEquals(0, echo.acceptedCount());
        assertEquals(List.of(target), proxy.requestedTargets(), "recorded all the same");
    }

    @Test
    void httpConnectWithWrongCredentialsAnswers407() throws IOException {
        TestProxy proxy = resources.track(TestProxy.http("carol", "pa:ss"));
        Socket client = connect(proxy);

        send(client, httpConnect("localhost:" + echo.port(), basic("carol", "guess")));

        assertEquals("HTTP/1.1 407 Proxy Authentication Required", readLine(client));
        readHeaders(client);
        assertClosedByProxy(client);
    }

    @Test
    void httpConnectWithTheRightCredentialsTunnels() throws IOException {
        TestProxy proxy = resources.track(TestProxy.http("carol", "pa:ss"));
        Socket client = connect(proxy);

        send(client, httpConnect("localhost:" + echo.port(), basic("carol", "pa:ss")));

        assertEquals("HTTP/1.1 200 Connection established", readLine(client));
        assertEquals("", readLine(client));
        assertEchoesThenHalfCloses(client);
    }

    @Test
    void httpConnectToAForbiddenTargetAnswers403() throws IOException {
        TestProxy proxy = resources.track(TestProxy.http().forbid("localhost"));
        Socket client = connect(proxy);

        send(client, httpConnect("localhost:" + echo.port(), null));

        assertEquals("HTTP/1.1 403 Forbidden", readLine(client));
        readHeaders(client);
        assertClosedByProxy(client);
        assertEquals(0, echo.acceptedCount());
    }

    @Test
    void httpConnectToARefusingTargetAnswers502() throws IOException {
        TestProxy proxy = resources.track(TestProxy.http());
        int closedPort = closedPort();
        Socket client = connect(proxy);

        send(client, httpConnect("127.0.0.1:" + closedPort, null));

        assertEquals("HTTP/1.1 502 Bad Gateway", readLine(client));
        readHeaders(client);
        assertClosedByProxy(client);
    }

    @Test
    void httpClosesOnGarbage() throws IOException {
        TestProxy proxy = resources.track(TestProxy.http());
        Socket client = connect(proxy);

        send(client, 5, 1, 0, '\n');

        assertClosedByProxy(client);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the proxy itself

    @Test
    void closeEndsOpenTunnelsAndEveryThreadAndIsIdempotent() throws IOException {
        TestProxy proxy = resources.track(TestProxy.socks5());
        String threads = "test-proxy-" + proxy.port() + "-";
        Socket client = connect(proxy);
        socks5NoAuth(client);
        send(client, socks5Request(1, ipv4Target(echo.port())));
        assertEquals(0x00, socks5Reply(client));
        send(client, PAYLOAD);
        assertArrayEquals(PAYLOAD, read(client, PAYLOAD.length));
        Socket waiting = connect(proxy); // accepted, in its handshake
        Await.until(() -> proxy.acceptedCount() == 2, Duration.ofSeconds(5), "the second connection accepted");

        proxy.close();

        assertClosedByProxy(client);
        assertClosedByProxy(waiting);
        assertEquals(List.of(), Threads.named(threads));
        proxy.close();
    }

    @Test
    void addressIsTheLoopbackAndThePort() {
        TestProxy proxy = resources.track(TestProxy.http());

        assertEquals(new InetSocketAddress("127.0.0.1", proxy.port()), proxy.address());
        assertNotEquals(0, proxy.port());
    }

    @Test
    void credentialsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> TestProxy.socks5("", "x"));
        assertThrows(IllegalArgumentException.class, () -> TestProxy.socks5("u", "x".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> TestProxy.http("a:b", "x"));
        assertThrows(NullPointerException.class, () -> TestProxy.http(null, "x"));
    }

    @Test
    void ipv6AddressesAreWrittenInTheirCompressedForm() throws IOException {
        assertEquals("::1", TestProxy.ipv6Text(InetAddress.getByName("::1").getAddress()));
        assertEquals("::", TestProxy.ipv6Text(new byte[16]));
        assertEquals(
                "2001:db8::1:0:0:1",
                TestProxy.ipv6Text(InetAddress.getByName("2001:db8:0:0:1:0:0:1").getAddress()));
        assertEquals(
                "2001:db8:0:1:1:1:1:1",
                TestProxy.ipv6Text(InetAddress.getByName("2001:db8:0:1:1:1:1:1").getAddress()));
        assertEquals(
                "fe80::", TestProxy.ipv6Text(InetAddress.getByName("fe80::").getAddress()));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the client's side, by hand

    private Socket connect(TestProxy proxy) throws IOException {
        Socket socket = resources.track(new Socket());
        socket.connect(proxy.address(), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    private static void socks5NoAuth(Socket client) throws IOException {
        send(client, 5, 1, 0x00);
        assertArrayEquals(bytes(5, 0x00), read(client, 2));
    }

    /** A SOCKS5 request: version, command, reserved, then the address type, address and port in {@code target}. */
    private static byte[] socks5Request(int command, byte[] target) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(bytes(5, command, 0));
        request.writeBytes(target);
        return request.toByteArray();
    }

    private static byte[] ipv4Target(int port) {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        target.writeBytes(bytes(0x01, 127, 0, 0, 1));
        target.writeBytes(port(port));
        return target.toByteArray();
    }

    private static byte[] domainTarget(String host, int port) {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        target.writeBytes(bytes(0x03, name.length));
        target.writeBytes(name);
        target.writeBytes(port(port));
        return target.toByteArray();
    }

    private static byte[] socks5Credentials(String user, String password) {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] p = password.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(bytes(1, u.length));
        request.writeBytes(u);
        request.write(p.length);
        request.writeBytes(p);
        return request.toByteArray();
    }

    /** Reads a SOCKS5 reply whole and returns its reply code. */
    private static int socks5Reply(Socket client) throws IOException {
        byte[] head = read(client, 4);
        assertEquals(5, head[0], "version");
        assertEquals(0, head[2], "reserved");
        int addressLength = switch (head[3]) {
            case 0x01 -> 4;
            case 0x04 -> 16;
            default -> throw new AssertionError("unexpected address type " + head[3]);
        };
        read(client, addressLength + 2);
        return head[1] & 0xFF;
    }

    private static byte[] socks4Request(int port, byte[] ip, String userId) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(bytes(4, 1));
        request.writeBytes(port(port));
        request.writeBytes(ip);
        request.writeBytes(userId.getBytes(StandardCharsets.US_ASCII));
        request.write(0);
        return request.toByteArray();
    }

    private static byte[] socks4aRequest(int port, String userId, String host) {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(socks4Request(port, new byte[] {0, 0, 0, 1}, userId));
        request.writeBytes(host.getBytes(StandardCharsets.US_ASCII));
        request.write(0);
        return request.toByteArray();
    }

    /** Reads a SOCKS4 reply whole and returns its code. */
    private static int socks4Reply(Socket client) throws IOException {
        byte[] reply = read(client, 8);
        assertEquals(0, reply[0], "reply version");
        return reply[1] & 0xFF;
    }

    private static byte[] httpConnect(String target, String authorization) {
        String request = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n"
                + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n") + "\r\n";
        return request.getBytes(StandardCharsets.US_ASCII);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a line ending in CRLF, byte by byte so that nothing after it is consumed. */
    private static String readLine(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            assertNotEquals(-1, b, "the line ended early: " + line);
            line.append((char) b);
        }
        assertTrue(line.toString().endsWith("\r"), "a line ends in CRLF: " + line);
        return line.substring(0, line.length() - 1);
    }

    /** Reads header lines up to the empty line. */
    private static List<String> readHeaders(Socket client) throws IOException {
        List<String> headers = new ArrayList<>();
        String line;
        while (!(line = readLine(client)).isEmpty()) {
            headers.add(line);
        }
        return headers;
    }

    /** Sends through the tunnel and reads it back, then half-closes: the end of stream comes back the same way. */
    private static void assertEchoesThenHalfCloses(Socket client) throws IOException {
        send(client, PAYLOAD);
        assertArrayEquals(PAYLOAD, read(client, PAYLOAD.length), "echoed");
        send(client, PAYLOAD);
        client.shutdownOutput();
        assertArrayEquals(PAYLOAD, read(client, PAYLOAD.length), "echoed after the half-close");
        assertEquals(-1, client.getInputStream().read(), "the echo server's end of stream, passed on");
    }

    /** Asserts that the proxy closed the connection: an end of stream, or a reset. */
    private static void assertClosedByProxy(Socket client) throws IOException {
        try {
            assertEquals(-1, client.getInputStream().read(), "nothing more, then the end of stream");
        } catch (SocketException e) {
            // a reset is a close too
        }
    }

    private static void send(Socket client, int... values) throws IOException {
        send(client, bytes(values));
    }

    private static void send(Socket client, byte[] bytes) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static byte[] read(Socket client, int length) throws IOException {
        byte[] bytes = client.getInputStream().readNBytes(length);
        assertEquals(length, bytes.length, "bytes before the end of stream");
        return bytes;
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] port(int port) {
        return bytes(port >> 8, port);
    }

    /** A port on 127.0.0.1 that nothing listens on, just released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /** A target on 127.0.0.1 that writes back what it reads and, at the end of stream, shuts its output down. */
    private static final class Echo implements AutoCloseable {
        private final ServerSocket listener;
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private volatile int accepted;

        private Echo(ServerSocket listener) {
            this.listener = listener;
        }

        static Echo start() throws IOException {
            Echo echo = new Echo(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
            echo.thread("accept", echo::acceptLoop);
            return echo;
        }

        int port() {
            return listener.getLocalPort();
        }

        int acceptedCount() {
            return accepted;
        }

        private void acceptLoop() {
            while (true) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException e) {
                    return; // closed
                }
                accepted++; // this thread only writes it
                sockets.add(socket);
                thread("conn-" + accepted, () -> echo(socket));
            }
        }

        private void echo(Socket socket) {
            try (socket) {
                socket.getInputStream().transferTo(socket.getOutputStream());
                socket.shutdownOutput();
            } catch (IOException e) {
                // closed, or reset by the proxy
            } finally {
                sockets.remove(socket);
            }
        }

        private void thread(String name, Runnable body) {
            Thread thread = new Thread(body, "test-echo-" + port() + "-" + name);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }

        @Override
        public void close() throws Exception {
            listener.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            for (Thread thread : threads) {
                thread.join(TIMEOUT_MILLIS);
                assertFalse(thread.isAlive(), thread.getName() + " still alive");
            }
        }
    }
}
