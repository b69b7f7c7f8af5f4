/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples.server;

import dev.tether.testkit.TestCertificates;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small Netty server for the examples to talk to: it listens on 127.0.0.1 and sets up each accepted connection
 * with {@link #initClient(SocketChannel)}.
 *
 * <p>All of a server's connections share one I/O thread, so a server whose clients share state (the chat room)
 * needs no locks. The thread is a daemon thread; {@link #close()} stops it. Call {@link #start(int)} once, from one
 * thread; the other methods may be called from any thread. A server that does not run on Netty ({@link FlakyServer}
 * runs on the test kit's scripted server) overrides {@link #start(int)}, {@link #port()}, {@link #awaitClose()} and
 * {@link #close()}, and never has {@link #initClient(SocketChannel)} called.
 *
 * <pre>{@code
 * try (DemoServer server = new EchoServer().start(0)) {   // 0: any free port
 *     System.out.println("echo server on port " + server.port());
 * }
 * }</pre>
 */
public abstract class DemoServer implements AutoCloseable {
    /** The address every demo server listens on: loopback only, so nothing is exposed to the network. */
    public static final String HOST = "127.0.0.1";

    private static final Logger log = LoggerFactory.getLogger(DemoServer.class);

    /** How long {@link #close()} lets clients finish an exchange, such as a reply or the end of a feed. */
    private static final Duration LINGER = Duration.ofMillis(500);

    // 1 MiB of unsent data makes a connection unwritable; a fast sender then waits instead of filling memory
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final String name;
    private final ChannelGroup clients;
    private volatile TestCertificates.Issued tls; // null: plain TCP; set before start()
    // set once by start(); read by any thread
    private volatile EventLoopGroup group;
    private volatile Channel listener;
    private boolean closed; // guarded by this

    /**
     * Creates a server that opens nothing until {@link #start(int)}.
     *
     * @param name a short name for thread names and log messages, such as {@code "feed"}
     */
    protected DemoServer(String name) {
        this.name = name;
        this.clients = new DefaultChannelGroup(name + "-clients", GlobalEventExecutor.INSTANCE);
    }

    /**
     * Starts listening on {@code 127.0.0.1:port}.
     *
     * @param port 1 to 65535, or 0 for any free port (see {@link #port()})
     * @return this server
     * @throws IOException if the port cannot be bound, for example because it is in use
     * @throws IllegalArgumentException if the port is out of range
     * @throws IllegalStateException if the server was already started
     */
    public DemoServer start(int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        if (group != null) {
            throw new IllegalStateException(name + " server is already started");
        }
        SslContext sslContext = serverSslContext();
        EventLoopGroup newGroup = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory(name + "-server", true), NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(newGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        clients.add(channel);
                        if (sslContext != null) {
                            channel.pipeline().addLast("tls", sslContext.newHandler(channel.alloc()));
                        }
                        initClient(channel);
                    }
                });
        ChannelFuture bound = bootstrap.bind(HOST, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            newGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + HOST + ":" + port + ": " + cause.getMessage(), cause);
        }
        listener = bound.channel();
        group = newGroup;
        log.debug("{} server listening on {}:{}", name, HOST, port());
        return this;
    }

    /**
     * Makes the server speak TLS, presenting {@code certificate}; call before {@link #start(int)}.
     *
     * @param certificate the server's certificate and key, from {@link DemoTls}
     * @return this server
     */
    public DemoServer tls(TestCertificates.Issued certificate) {
        this.tls = certificate;
        return this;
    }

    /** The TLS certificate set with {@link #tls}, or null for plain TCP. */
    protected TestCertificates.Issued tlsCertificate() {
        return tls;
    }

    private SslContext serverSslContext() throws IOException {
        TestCertificates.Issued certificate = tls;
        if (certificate == null) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(certificate.privateKey(), certificate.certificate())
                    .build();
        } catch (SSLException e) {
            throw new IOException("cannot set up TLS for the " + name + " server: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the port the server listens on; the one the system picked if it was started with port 0.
     *
     * @return the port
     * @throws IllegalStateException if the server was not started
     */
    public int port() {
        Channel channel = listener;
        if (channel == null) {
            throw new IllegalStateException(name + " server is not started");
        }
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Blocks until the server is closed by {@link #close()} from another thread.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalStateException if the server was not started
     */
    public void awaitClose() throws InterruptedException {
        Channel channel = listener;
        if (channel == null) {
            throw new IllegalStateException(name + " server is not started");
        }
        channel.closeFuture().await();
    }

    /**
     * Stops accepting, gives open connections up to half a second to finish, then closes them and stops the I/O
     * thread. Idempotent; does nothing if the server was never started.
     */
    @Override
    public synchronized void close() {
        EventLoopGroup oldGroup = group;
        if (oldGroup == null || closed) {
            return;
        }
        closed = true;
        listener.close().awaitUninterruptibly();
        // Most exchanges end by themselves (the greeting server hangs up after one line, the feed after its last
        // message); waiting a moment for that lets the last bytes and log lines through.
        clients.newCloseFuture().awaitUninterruptibly(LINGER.toMillis());
        oldGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /**
     * Sets up the pipeline of one accepted connection. Called on the server's I/O thread.
     *
     * @param channel the new connection
     */
    protected abstract void initClient(SocketChannel channel);

    /**
     * Logs why a connection failed and closes it; for the {@code exceptionCaught} methods of subclasses' handlers.
     *
     * @param ctx the failed connection's handler context
     * @param cause what went wrong
     */
    protected final void dropClient(ChannelHandlerContext ctx, Throwable cause) {
        // a client that vanishes (reset) is routine for a demo server; anything else deserves attention
        if (cause instanceof IOException) {
            log.debug("{} server: {} failed: {}", name, ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("{} server: closing {} after an error", name, ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
