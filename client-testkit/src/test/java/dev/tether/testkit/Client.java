/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A blocking loopback client on a plain {@link Socket}, with a read timeout so a test cannot hang. */
final class Client implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;

    private Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    static Client connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, (int) TIMEOUT.toMillis());
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        return new Client(socket);
    }

    /** Connects over TLS with {@code context}'s trust and keys; the handshake runs at once, and its failure throws. */
    static Client connectTls(InetSocketAddress address, javax.net.ssl.SSLContext context) throws IOException {
        return connectTls(address, context, null);
    }

    /** Same, checking the server's name as {@code endpointIdentification} says ({@code "HTTPS"}), or not (null). */
    static Client connectTls(InetSocketAddress address, javax.net.ssl.SSLContext context, String endpointIdentification)
            throws IOException {
        Socket plain = new Socket();
        plain.connect(address, (int) TIMEOUT.toMillis());
        plain.setSoTimeout((int) TIMEOUT.toMillis());
        javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket)
                context.getSocketFactory().createSocket(plain, address.getHostString(), address.getPort(), true);
        javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(endpointIdentification);
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return new Client(socket);
    }

    Socket socket() {
        return socket;
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Returns the next line without its {@code \n}, or null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** Returns exactly {@code n} bytes; fails if the stream ends first. */
    byte[] readBytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new IOException("end of stream after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** Returns everything until the server closes its output. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** Returns the next byte, or -1 at end of stream. */
    int read() throws IOException {
        return in.read();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
