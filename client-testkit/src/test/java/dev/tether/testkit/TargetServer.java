/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * The server behind a {@link FaultProxy} in its own tests: plain JDK sockets on {@code 127.0.0.1} and a free port,
 * each accepted connection served by one {@link Script} on a daemon thread named {@code target-*}.
 */
final class TargetServer implements AutoCloseable {
    /** What the server does with one connection; the socket is closed after it returns. */
    interface Script {
        void run(Socket socket, TargetServer server) throws IOException, InterruptedException;
    }

    private final ServerSocket listener;
    private final Script script;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private TargetServer(ServerSocket listener, Script script) {
        this.listener = listener;
        this.script = script;
    }

    static TargetServer start(Script script) throws IOException {
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TargetServer server = new TargetServer(listener, script);
        daemon("target-" + listener.getLocalPort() + "-accept", server::acceptLoop);
        return server;
    }

    /** Writes back everything it reads, until the client closes. */
    static Script echo() {
        return (socket, server) -> socket.getInputStream().transferTo(socket.getOutputStream());
    }

    /** Writes {@code bytes}, then reads and drops everything until the client closes. */
    static Script send(byte[] bytes) {
        return (socket, server) -> {
            socket.getOutputStream().write(bytes);
            drain(socket.getInputStream());
        };
    }

    /** Keeps the connection open, never reading or writing, until the server closes. */
    static Script stall() {
        return (socket, server) -> server.closed.await();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @Override
    public void close() {
        closed.countDown();
        Sockets.closeQuietly(listener);
        accepted.forEach(Sockets::closeQuietly);
    }

    private void acceptLoop() {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.add(socket);
            daemon("target-" + listener.getLocalPort() + "-conn", () -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        try {
            script.run(socket, this);
        } catch (IOException | InterruptedException e) {
            // the proxy or the test ended the connection: nothing to serve any more
        } finally {
            Sockets.closeQuietly(socket);
        }
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
