/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A proxy server in the test's JVM, for the tests of the client's proxy support: the server side of SOCKS5 (RFC 1928,
 * with RFC 1929 username/password authentication), SOCKS4 and SOCKS4a, or HTTP {@code CONNECT}, on {@code 127.0.0.1}
 * and a free port. It accepts {@code CONNECT} requests only, connects to the target itself (resolving a host name with
 * {@link InetAddress#getByName}) and then moves bytes both ways until both sides have closed.
 *
 * <pre>{@code
 * try (TestProxy proxy = TestProxy.socks5("user", "secret").forbid("blocked.example")) {
 *     // point the client at proxy.address(), with the same credentials
 *     assertEquals(List.of("localhost:" + server.port()), proxy.requestedTargets());
 * }
 * }</pre>
 *
 * <p><b>Answers.</b> Each protocol answers a request it cannot serve in its own way, then closes the connection:
 *
 * <table>
 *   <caption>Failures and their answers</caption>
 *   <tr><th>failure</th><th>SOCKS5</th><th>SOCKS4/4a</th><th>HTTP</th></tr>
 *   <tr><td>authentication method not offered</td><td>{@code 05 FF}</td><td>-</td><td>-</td></tr>
 *   <tr><td>wrong credentials</td><td>{@code 01 01}</td><td>{@code 5D} (user id)</td>
 *       <td>{@code 407} with {@code Proxy-Authenticate: Basic realm="test"}</td></tr>
 *   <tr><td>a command other than CONNECT</td><td>{@code 07}</td><td>{@code 5B}</td>
 *       <td>{@code 405}</td></tr>
 *   <tr><td>an address type other than IPv4, name, IPv6</td><td>{@code 08}</td><td>-</td><td>-</td></tr>
 *   <tr><td>a target that is not {@code host:port}</td><td>-</td><td>-</td><td>{@code 400}</td></tr>
 *   <tr><td>target {@linkplain #forbid(String) forbidden}</td><td>{@code 02}</td><td>{@code 5B}</td>
 *       <td>{@code 403}</td></tr>
 *   <tr><td>host name does not resolve</td><td>{@code 04}</td><td>{@code 5B}</td><td>{@code 502}</td></tr>
 *   <tr><td>target refuses</td><td>{@code 05}</td><td>{@code 5B}</td><td>{@code 502}</td></tr>
 *   <tr><td>target otherwise unreachable (no route: {@code 04}; timeout, 5 s: {@code 01})</td>
 *       <td>{@code 04} or {@code 01}</td><td>{@code 5B}</td><td>{@code 502}</td></tr>
 * </table>
 *
 * <p>A client that sends what the protocol does not allow (another version, an empty host name, a line too long) has
 * its connection closed without an answer, logged at DEBUG; so has a client silent for 10 s during the handshake.
 *
 * <p><b>Tunnels.</b> Each direction is copied as it arrives, without delay. When one side shuts its output down, the
 * proxy shuts down its output to the other side (a half-close goes through); once both directions have ended, it
 * closes both sockets. A reset or an error on either side closes both.
 *
 * <p><b>Threads.</b> Plain JDK sockets, no Netty, so that a bug in the client's networking cannot hide on both ends:
 * one daemon thread accepts, one serves each connection's handshake, and two copy the bytes of each tunnel. They are
 * named {@code test-proxy-<port>-*}; {@link #close()} ends them all. The methods may be called from any thread.
 */
public final class TestProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TestProxy.class);

    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    private static final int MAX_SOCKS4_STRING = 255;
    private static final int BUFFER = 8192;

    private static final int SOCKS5_NO_AUTH = 0x00;
    private static final int SOCKS5_USER_PASS = 0x02;
    private static final int SOCKS5_NO_METHOD = 0xFF;
    private static final int SOCKS5_SUCCEEDED = 0x00;
    private static final int SOCKS5_GENERAL_FAILURE = 0x01;
    private static final int SOCKS5_NOT_ALLOWED = 0x02;
    private static final int SOCKS5_HOST_UNREACHABLE = 0x04;
    private static final int SOCKS5_REFUSED = 0x05;
    private static final int SOCKS5_COMMAND_NOT_SUPPORTED = 0x07;
    private static final int SOCKS5_ADDRESS_TYPE_NOT_SUPPORTED = 0x08;
    private static final int SOCKS4_GRANTED = 0x5A;
    private static final int SOCKS4_REJECTED = 0x5B;
    private static final int SOCKS4_USER_ID_MISMATCH = 0x5D;

    private enum Protocol {
        SOCKS5,
        SOCKS4,
        HTTP
    }

    /** Why the proxy could not open a tunnel to a target. */
    private enum Failure {
        FORBIDDEN,
        UNRESOLVED,
        REFUSED,
        NO_ROUTE,
        OTHER
    }

    /** The outcome of {@link #open}: a connected socket, or why there is none. */
    private record Opened(Socket socket, Failure failure) {}

    private final Protocol protocol;
    private final String username; // null: no authentication (for SOCKS4, any user id)
    private final String password; // null for SOCKS4
    private final ServerSocket listener;
    private final String name;
    private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    private final Object lock = new Object();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet(); // open ones; added under lock
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet(); // live ones; added under lock
    private boolean closed; // guarded by lock

    private TestProxy(Protocol protocol, String username, String password, ServerSocket listener) {
        this.protocol = protocol;
        this.username = username;
        this.password = password;
        this.listener = listener;
        this.name = "test-proxy-" + listener.getLocalPort();
    }

    /**
     * Starts a SOCKS5 proxy that asks for no authentication: it selects method {@code 0x00} and answers
     * {@code 05 FF} to a client that does not offer it.
     *
     * @return the running proxy; close it
     * @throws UncheckedIOException if no port can be bound
     */
    public static TestProxy socks5() {
        return start(Protocol.SOCKS5, null, null);
    }

    /**
     * Starts a SOCKS5 proxy that requires username/password authentication (RFC 1929): it selects method {@code 0x02}
     * and answers {@code 05 FF} to a client that does not offer it; wrong credentials get {@code 01 01}, then the
     * connection is closed.
     *
     * @param username the user name, 1 to 255 bytes in UTF-8
     * @param password the password, 1 to 255 bytes in UTF-8
     * @return the running proxy; close it
     * @throws IllegalArgumentException if a credential is empty or longer than 255 bytes
     * @throws UncheckedIOException if no port can be bound
     */
    public static TestProxy socks5(String username, String password) {
        checkSocks5Credential(username, "username");
        checkSocks5Credential(password, "password");
        return start(Protocol.SOCKS5, username, password);
    }

    /**
     * Starts a SOCKS4 proxy, which serves SOCKS4a requests (a host name for the proxy to resolve) too.
     *
     * @param userIdOrNull the only user id accepted, others getting {@code 5D}; null to accept any
     * @return the running proxy; close it
     * @throws UncheckedIOException if no port can be bound
     */
    public static TestProxy socks4(String userIdOrNull) {
        return start(Protocol.SOCKS4, userIdOrNull, null);
    }

    /**
     * Starts an HTTP proxy that serves {@code CONNECT} without authentication.
     *
     * @return the running proxy; close it
     * @throws UncheckedIOException if no port can be bound
     */
    public static TestProxy http() {
        return start(Protocol.HTTP, null, null);
    }

    /**
     * Starts an HTTP proxy that serves {@code CONNECT} only with {@code Proxy-Authorization: Basic} and these
     * credentials (in UTF-8); a request without them, or with others, gets {@code 407 Proxy Authentication Required}
     * with {@code Proxy-Authenticate: Basic realm="test"}, then the connection is closed.
     *
     * @param username the user name; no colon
     * @param password the password
     * @return the running proxy; close it
     * @throws IllegalArgumentException if {@code username} contains a colon
     * @throws UncheckedIOException if no port can be bound
     */
    public static TestProxy http(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a Basic user name cannot contain ':', was " + username);
        }
        return start(Protocol.HTTP, username, password);
    }

    /**
     * Forbids targets on {@code host}, from the next request on: SOCKS5 answers {@code 02} (connection not allowed
     * by ruleset), SOCKS4 {@code 5B}, HTTP {@code 403 Forbidden}. The host is compared with the target as the client
     * sent it, before any resolution: a name forbids that name (in any case) and not its addresses, an IP literal
     * forbids that literal ({@code "127.0.0.1"}, {@code "::1"} or {@code "[::1]"}) and not the names that resolve to
     * it. The request is still {@linkplain #requestedTargets() recorded}.
     *
     * @param host a host name or an IP literal
     * @return this proxy
     */
    public TestProxy forbid(String host) {
        Objects.requireNonNull(host, "host");
        forbidden.add(normalizedHost(host));
        return this;
    }

    /**
     * Returns the port the proxy listens on.
     *
     * @return the port, never 0
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Returns where clients connect: {@code 127.0.0.1:port()}.
     *
     * @return the proxy's address
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), port());
    }

    /**
     * Returns the target of each {@code CONNECT} request, in the order they were read, as {@code host:port} with the
     * host as the client sent it: a name stays a name, an IPv4 address is in dotted form, an IPv6 address is in
     * brackets ({@code [::1]:443}; from SOCKS5, in the compressed form of RFC 5952). HTTP targets are recorded exactly
     * as written on the request line. A request counts once it has been read in full, whatever came of it (a wrong
     * user id or HTTP credentials, a forbidden or unreachable target); a SOCKS5 request comes after authentication, so
     * wrong SOCKS5 credentials record nothing.
     *
     * @return a snapshot of the targets requested so far
     */
    public List<String> requestedTargets() {
        return List.copyOf(targets);
    }

    /**
     * Returns how many connections the proxy has accepted since it started, whatever came of them.
     *
     * @return the number of accepted connections
     */
    public int acceptedCount() {
        return accepted.get();
    }

    /**
     * Stops listening, closes every connection and tunnel (both of its sockets), and waits up to 5 s for the proxy's
     * threads to end. Idempotent.
     *
     * @throws AssertionError if a thread of the proxy is still alive after 5 s, so that a test fails on it
     */
    @Override
    public void close() {
        List<Socket> open;
        List<Thread> running;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(sockets);
            running = new ArrayList<>(threads);
        }
        closeQuietly(listener);
        open.forEach(TestProxy::closeQuietly);
        sockets.clear();
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        boolean interrupted = Thread.interrupted();
        List<String> alive = new ArrayList<>();
        for (Thread thread : running) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            while (thread.isAlive()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    thread.join(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (thread.isAlive()) {
                alive.add(thread.getName());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!alive.isEmpty()) {
            throw new AssertionError(name + ": threads still alive after " + JOIN_TIMEOUT + ": " + alive);
        }
    }

    @Override
    public String toString() {
        return name + " (" + protocol + (username == null ? "" : ", authenticated") + ")";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // start, accept, serve

    private static TestProxy start(Protocol protocol, String username, String password) {
        ServerSocket listener;
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1:0", e);
        }
        TestProxy proxy = new TestProxy(protocol, username, password, listener);
        proxy.startThread(proxy.name + "-accept", proxy::acceptLoop);
        return proxy;
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!isClosed()) {
                    log.debug("{}: accepting failed, no longer listening: {}", name, e.toString());
                }
                return;
            }
            int number = accepted.incrementAndGet();
            if (!track(client) || !startThread(name + "-conn-" + number, () -> serve(client, number))) {
                release(client);
                return; // closed meanwhile
            }
        }
    }

    /** Serves one accepted connection: the handshake, then the tunnel, on threads of its own. */
    private void serve(Socket client, int number) {
        String connection = name + " connection #" + number;
        Socket target = null;
        boolean tunnelling = false;
        try {
            client.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            client.setTcpNoDelay(true);
            // the tunnel reads on from this stream: what the client sent right after its request is not lost
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            target = switch (protocol) {
                case SOCKS5 -> socks5(in, out, connection);
                case SOCKS4 -> socks4(in, out, connection);
                case HTTP -> http(in, out, connection);
            };
            if (target != null) {
                client.setSoTimeout(0);
                tunnelling = new Tunnel(connection, name + "-conn-" + number, client, in, target).start();
            }
        } catch (IOException e) {
            log.debug("{}: closed during the handshake: {}", connection, e.toString());
        } finally {
            if (!tunnelling) {
                release(client);
                release(target);
            }
        }
    }

    /**
     * Connects to a target, unless it is forbidden or unreachable.
     *
     * @param host the host as the client sent it, brackets removed: a name or an IP literal
     * @param address the address the client sent, or null for a name to resolve
     */
    private Opened open(String host, InetAddress address, int port, String connection) {
        if (forbidden.contains(normalizedHost(host))) {
            log.debug("{}: {} is forbidden", connection, host);
            return new Opened(null, Failure.FORBIDDEN);
        }
        InetAddress resolved = address;
        if (resolved == null) {
            try {
                resolved = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                log.debug("{}: {} does not resolve: {}", connection, host, e.toString());
                return new Opened(null, Failure.UNRESOLVED);
            }
        }
        Socket socket = new Socket();
        if (!track(socket)) {
            return new Opened(null, Failure.OTHER); // closed meanwhile
        }
        try {
            socket.connect(new InetSocketAddress(resolved, port), CONNECT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            return new Opened(socket, null);
        } catch (IOException e) {
            release(socket);
            log.debug("{}: cannot connect to {}:{}: {}", connection, resolved, port, e.toString());
            if (e instanceof ConnectException) {
                return new Opened(null, Failure.REFUSED);
            }
            return new Opened(null, e instanceof NoRouteToHostException ? Failure.NO_ROUTE : Failure.OTHER);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SOCKS5

    private Socket socks5(InputStream in, OutputStream out, String connection) throws IOException {
        expectVersion(in, 5, "SOCKS5 greeting");
        int count = readByte(in);
        if (count == 0) {
            throw new IOException("SOCKS5 greeting offers no method");
        }
        byte[] methods = readFully(in, count);
        int method = username == null ? SOCKS5_NO_AUTH : SOCKS5_USER_PASS;
        if (!contains(methods, method)) {
            log.debug("{}: SOCKS5 client offers {}, not method {}", connection, hex(methods), method);
            write(out, 5, SOCKS5_NO_METHOD);
            return null;
        }
        write(out, 5, method);
        if (method == SOCKS5_USER_PASS) {
            expectVersion(in, 1, "SOCKS5 username/password request");
            byte[] user = readFully(in, readByte(in));
            byte[] pass = readFully(in, readByte(in));
            boolean right = Arrays.equals(user, username.getBytes(StandardCharsets.UTF_8))
                    && Arrays.equals(pass, password.getBytes(StandardCharsets.UTF_8));
            write(out, 1, right ? 0 : 1);
            if (!right) {
                log.debug("{}: SOCKS5 credentials of user {} refused", connection, utf8(user));
                return null;
            }
        }
        expectVersion(in, 5, "SOCKS5 request");
        int command = readByte(in);
        readByte(in); // reserved
        int addressType = readByte(in);
        String host;
        String shown;
        InetAddress address = null;
        switch (addressType) {
            case 0x01 -> {
                address = InetAddress.getByAddress(readFully(in, 4));
                host = address.getHostAddress();
                shown = host;
            }
            case 0x03 -> {
                host = utf8(readFully(in, readByte(in)));
                if (host.isEmpty()) {
                    throw new IOException("SOCKS5 request with an empty host name");
                }
                shown = host;
            }
            case 0x04 -> {
                byte[] bytes = readFully(in, 16);
                address = InetAddress.getByAddress(bytes);
                host = ipv6Text(bytes);
                shown = "[" + host + "]";
            }
            default -> {
                log.debug("{}: SOCKS5 address type {} not supported", connection, addressType);
                socks5Reply(out, SOCKS5_ADDRESS_TYPE_NOT_SUPPORTED, null);
                return null;
            }
        }
        int port = readUnsignedShort(in);
        if (command != 0x01) {
            log.debug("{}: SOCKS5 command {} not supported", connection, command);
            socks5Reply(out, SOCKS5_COMMAND_NOT_SUPPORTED, null);
            return null;
        }
        targets.add(shown + ":" + port);
        Opened opened = open(host, address, port, connection);
        if (opened.socket() == null) {
            socks5Reply(
                    out,
                    switch (opened.failure()) {
                        case FORBIDDEN -> SOCKS5_NOT_ALLOWED;
                        case UNRESOLVED, NO_ROUTE -> SOCKS5_HOST_UNREACHABLE;
                        case REFUSED -> SOCKS5_REFUSED;
                        case OTHER -> SOCKS5_GENERAL_FAILURE;
                    },
                    null);
            return null;
        }
        try {
            socks5Reply(out, SOCKS5_SUCCEEDED, opened.socket());
        } catch (IOException e) {
            release(opened.socket());
            throw e;
        }
        return opened.socket();
    }

    /** Writes a SOCKS5 reply, with the proxy's address to the target when there is one, else 0.0.0.0:0. */
    private static void socks5Reply(OutputStream out, int code, Socket bound) throws IOException {
        byte[] address = bound == null ? new byte[4] : bound.getLocalAddress().getAddress();
        int port = bound == null ? 0 : bound.getLocalPort();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        reply.write(5);
        reply.write(code);
        reply.write(0);
        reply.write(address.length == 4 ? 0x01 : 0x04);
        reply.writeBytes(address);
        reply.write(port >> 8);
        reply.write(port);
        out.write(reply.toByteArray());
        out.flush();
    }

    private static void checkSocks5Credential(String value, String what) {
        Objects.requireNonNull(value, what);
        int length = value.getBytes(StandardCharsets.UTF_8).length;
        if (length < 1 || length > 255) {
            throw new IllegalArgumentException("a SOCKS5 " + what + " has 1 to 255 bytes, was " + length);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // SOCKS4 and SOCKS4a

    private Socket socks4(InputStream in, OutputStream out, String connection) throws IOException {
        expectVersion(in, 4, "SOCKS4 request");
        int command = readByte(in);
        int port = readUnsignedShort(in);
        byte[] ip = readFully(in, 4);
        byte[] userId = readNulTerminated(in, "SOCKS4 user id");
        String host;
        InetAddress address = null;
        if (ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0) { // SOCKS4a: a host name follows
            host = utf8(readNulTerminated(in, "SOCKS4a host name"));
            if (host.isEmpty()) {
                throw new IOException("SOCKS4a request with an empty host name");
            }
        } else {
            address = InetAddress.getByAddress(ip);
            host = address.getHostAddress();
        }
        if (command != 0x01) {
            log.debug("{}: SOCKS4 command {} not supported", connection, command);
            socks4Reply(out, SOCKS4_REJECTED);
            return null;
        }
        targets.add(host + ":" + port);
        if (username != null && !Arrays.equals(userId, username.getBytes(StandardCharsets.UTF_8))) {
            log.debug("{}: SOCKS4 user id {} refused", connection, utf8(userId));
            socks4Reply(out, SOCKS4_USER_ID_MISMATCH);
            return null;
        }
        Opened opened = open(host, address, port, connection);
        if (opened.socket() == null) {
            socks4Reply(out, SOCKS4_REJECTED);
            return null;
        }
        try {
            socks4Reply(out, SOCKS4_GRANTED);
        } catch (IOException e) {
            release(opened.socket());
            throw e;
        }
        return opened.socket();
    }

    /** Writes a SOCKS4 reply; its port and address are ignored by clients of CONNECT, and zero. */
    private static void socks4Reply(OutputStream out, int code) throws IOException {
        write(out, 0, code, 0, 0, 0, 0, 0, 0);
    }

    private static byte[] readNulTerminated(InputStream in, String what) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = readByte(in)) != 0) {
            if (bytes.size() == MAX_SOCKS4_STRING) {
                throw new IOException(what + " longer than " + MAX_SOCKS4_STRING + " bytes");
            }
            bytes.write(b);
        }
        return bytes.toByteArray();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // HTTP CONNECT

    private Socket http(InputStream in, OutputStream out, String connection) throws IOException {
        String requestLine = readLine(in);
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1 request line: " + abbreviate(requestLine));
        }
        List<String> headers = new ArrayList<>();
        String header;
        while (!(header = readLine(in)).isEmpty()) {
            if (headers.size() == MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " header lines");
            }
            headers.add(header);
        }
        if (!parts[0].equals("CONNECT")) {
            log.debug("{}: HTTP method {} not supported", connection, parts[0]);
            httpReply(out, "405 Method Not Allowed", "Allow: CONNECT\r\n");
            return null;
        }
        String authority = parts[1];
        int colon = authority.lastIndexOf(':');
        String host = colon < 0 ? "" : authority.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            host = "";
        }
        int port = colon < 0 ? -1 : parsePort(authority.substring(colon + 1));
        if (host.isEmpty() || port < 0) {
            log.debug("{}: HTTP CONNECT target is not host:port: {}", connection, abbreviate(authority));
            httpReply(out, "400 Bad Request", "");
            return null;
        }
        targets.add(authority);
        if (username != null && !authorized(headers)) {
            log.debug("{}: HTTP CONNECT without the right Proxy-Authorization", connection);
            httpReply(out, "407 Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"test\"\r\n");
            return null;
        }
        Opened opened = open(host, null, port, connection);
        if (opened.socket() == null) {
            httpReply(out, opened.failure() == Failure.FORBIDDEN ? "403 Forbidden" : "502 Bad Gateway", "");
            return null;
        }
        try {
            out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            release(opened.socket());
            throw e;
        }
        return opened.socket();
    }

    /** Whether a {@code Proxy-Authorization: Basic} header carries the configured credentials. */
    private boolean authorized(List<String> headers) {
        byte[] expected = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon < 0 || !header.substring(0, colon).trim().equalsIgnoreCase("Proxy-Authorization")) {
                continue;
            }
            String value = header.substring(colon + 1).trim();
            int space = value.indexOf(' ');
            if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
                continue;
            }
            try {
                if (Arrays.equals(
                        Base64.getDecoder().decode(value.substring(space + 1).trim()), expected)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // not Base64: not these credentials
            }
        }
        return false;
    }

    /** Writes an HTTP answer without a body ({@code extraHeaders} each ending in CRLF); the connection closes next. */
    private static void httpReply(OutputStream out, String status, String extraHeaders) throws IOException {
        String response =
                "HTTP/1.1 " + status + "\r\n" + extraHeaders + "Content-Length: 0\r\nConnection: close\r\n\r\n";
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads a line ending in LF (a CR before it dropped), in ISO-8859-1. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = readByte(in)) != '\n') {
            if (line.length() == MAX_LINE) {
                throw new IOException("HTTP line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
        if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
            line.setLength(line.length() - 1);
        }
        return line.toString();
    }

    /** Parses a port from 1 to 65535, digits only; -1 if it is not one. */
    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // tunnels

    /** The two directions of an open tunnel; each ends at its source's end of stream, and the tunnel with both. */
    private final class Tunnel {
        private final String connection;
        private final String threadPrefix;
        private final Socket client;
        private final InputStream clientIn;
        private final Socket target;
        private final AtomicInteger openDirections = new AtomicInteger(2);

        Tunnel(String connection, String threadPrefix, Socket client, InputStream clientIn, Socket target) {
            this.connection = connection;
            this.threadPrefix = threadPrefix;
            this.client = client;
            this.clientIn = clientIn;
            this.target = target;
        }

        /** Starts both directions; false if the proxy closed meanwhile (the caller then closes the sockets). */
        boolean start() throws IOException {
            InputStream targetIn = target.getInputStream();
            if (!startThread(threadPrefix + "-up", () -> pump(clientIn, target))) {
                return false;
            }
            if (!startThread(threadPrefix + "-down", () -> pump(targetIn, client))) {
                closeBoth(); // the up direction is running: end it
            }
            return true;
        }

        private void pump(InputStream from, Socket to) {
            byte[] buffer = new byte[BUFFER];
            try {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
                to.shutdownOutput(); // the half-close goes through
            } catch (IOException e) {
                log.debug("{}: tunnel closed: {}", connection, e.toString());
                closeBoth();
                return;
            }
            if (openDirections.decrementAndGet() == 0) {
                closeBoth();
            }
        }

        private void closeBoth() {
            release(client);
            release(target);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // sockets and threads

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** Remembers an open socket for {@link #close()}; false, with the socket closed, if the proxy is closed. */
    private boolean track(Socket socket) {
        synchronized (lock) {
            if (!closed) {
                sockets.add(socket);
                return true;
            }
        }
        closeQuietly(socket);
        return false;
    }

    /** Closes a socket and forgets it; null is ignored. */
    private void release(Socket socket) {
        if (socket != null) {
            closeQuietly(socket);
            sockets.remove(socket);
        }
    }

    /** Starts a daemon thread that {@link #close()} waits for; false, starting nothing, if the proxy is closed. */
    private boolean startThread(String threadName, Runnable body) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            Thread thread = new Thread(
                    () -> {
                        try {
                            body.run();
                        } finally {
                            threads.remove(Thread.currentThread());
                        }
                    },
                    threadName);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
            return true;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing useful to do: the peer is gone either way
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // bytes and text

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the client closed mid-request");
        }
        return b;
    }

    private static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the client closed mid-request");
        }
        return bytes;
    }

    private static int readUnsignedShort(InputStream in) throws IOException {
        return readByte(in) << 8 | readByte(in);
    }

    private static void expectVersion(InputStream in, int version, String what) throws IOException {
        int b = readByte(in);
        if (b != version) {
            throw new IOException(what + ": version " + b + " instead of " + version);
        }
    }

    private static void write(OutputStream out, int... bytes) throws IOException {
        byte[] array = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            array[i] = (byte) bytes[i];
        }
        out.write(array);
        out.flush();
    }

    private static boolean contains(byte[] bytes, int value) {
        for (byte b : bytes) {
            if ((b & 0xFF) == value) {
                return true;
            }
        }
        return false;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(text.length() == 0 ? "" : " ").append(String.format("%02X", b & 0xFF));
        }
        return text.toString();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Returns the first 100 characters of what a client sent, each one outside printable ASCII as {@code \xNN}. */
    private static String abbreviate(String text) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < Math.min(text.length(), 100); i++) {
            char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02X", (int) c));
        }
        return text.length() <= 100 ? shown.toString() : shown + "...";
    }

    /**
     * Returns a host as {@link #forbid} compares it: lower case, without brackets, an IPv6 literal in the form of
     * {@link #ipv6Text}.
     */
    private static String normalizedHost(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.indexOf(':') >= 0) {
            try {
                // a literal with a colon is parsed, never looked up
                InetAddress address = InetAddress.getByName(h);
                if (address instanceof Inet6Address) {
                    return ipv6Text(address.getAddress());
                }
            } catch (UnknownHostException e) {
                // not an IPv6 literal: compared as it is
            }
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /** Writes 16 bytes as an IPv6 address in the form of RFC 5952: the longest run of zero groups as {@code ::}. */
    static String ipv6Text(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is written as 0
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
