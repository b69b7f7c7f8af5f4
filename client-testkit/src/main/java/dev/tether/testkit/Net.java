/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/** Socket and thread helpers for the server. */
final class Net {
    /** {@code 127.0.0.1}, IPv4 even if the JVM prefers IPv6. */
    static final InetAddress LOOPBACK = loopback();

    private static final int BACKLOG = 50;

    private Net() {}

    static ServerSocket bind(int port) {
        return bind(port, null, null);
    }

    /** Binds a TLS listener when {@code tls} is set, with {@code parameters} (null: the context's defaults). */
    static ServerSocket bind(int port, SSLContext tls, SSLParameters parameters) {
        try {
            ServerSocket socket = tls == null
                    ? new ServerSocket()
                    : tls.getServerSocketFactory().createServerSocket();
            if (parameters != null) {
                ((SSLServerSocket) socket).setSSLParameters(parameters);
            }
            socket.setReuseAddress(true); // so up() can bind while old connections linger in TIME_WAIT
            socket.bind(new InetSocketAddress(LOOPBACK, port), BACKLOG);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
        }
    }

    /**
     * Waits up to {@code timeout} in all for {@code threads} to end and returns the names of those still alive. An
     * interrupted caller (a Ctrl-C hook, a cancelled test) still waits, and is interrupted again afterwards.
     */
    static List<String> joinAll(Iterable<Thread> threads, Duration timeout) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> alive = new ArrayList<>();
        try {
            for (Thread thread : threads) {
                join(thread, deadline);
                if (thread.isAlive()) {
                    alive.add(thread.getName());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return alive;
    }

    static void join(Thread thread, long deadline) {
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1}); // IPv4 even if the JVM prefers IPv6
        } catch (java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing useful to do: the peer is gone either way
        }
    }
}
