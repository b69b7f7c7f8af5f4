/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientConfig;
import dev.tether.ClientException;
import dev.tether.ConnectFailedException;
import dev.tether.Connection;
import dev.tether.TetherClient;
import dev.tether.internal.pipeline.PipelineInitializer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.NetUtil;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one implementation of {@link TetherClient}. */
public final class DefaultTetherClient<T> implements TetherClient<T> {
    private static final Logger log = LoggerFactory.getLogger(DefaultTetherClient.class);

    private final ClientConfig<T> config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Bootstrap bootstrap;
    /** Resolves host names off the I/O threads, which must never block on DNS. */
    private final ThreadPoolExecutor resolver;

    private final String target;

    private final Set<DefaultConnection<T>> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final LoopAwareFuture<Void> closeFuture;

    /** Creates the client; starts the I/O threads if it owns them, opens nothing. */
    public DefaultTetherClient(ClientConfig<T> config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.ownsGroup = config.eventLoopGroup().isEmpty();
        this.group = config.eventLoopGroup()
                .orElseGet(() -> new MultiThreadIoEventLoopGroup(
                        config.ioThreads(), new IoThreadFactory(config.name() + "-io"), NioIoHandler.newFactory()));
        this.closeFuture = new LoopAwareFuture<>(group);
        this.target = ConfigText.hostAndPort(config);
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true);
        this.resolver = new ThreadPoolExecutor(
                1,
                1,
                10,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                new IoThreadFactory(config.name() + "-resolver"));
        resolver.allowCoreThreadTimeOut(true);
    }

    @Override
    public CompletableFuture<Connection<T>> connect() {
        if (closing.get()) {
            throw new IllegalStateException("client " + config.name() + " is closed; create a new one to connect");
        }
        // one event loop per connection, from the start, so every callback and future of it runs on that thread
        EventLoop loop = group.next();
        DefaultConnection<T> connection =
                new DefaultConnection<>(config.name() + "#" + nextId.getAndIncrement(), config, group);
        connections.add(connection);
        connection.closeFuture().whenComplete((ok, error) -> connections.remove(connection));
        if (closing.get()) { // closeAsync() ran between the check and the add, and may have missed it
            connection.closeAsync();
        }
        resolve()
                .whenCompleteAsync(
                        (address, error) -> {
                            if (error != null) {
                                connection.connectFailed(connectError(unwrap(error), null));
                            } else if (connection.isCloseRequested()) {
                                connection.connectFailed(new ConnectFailedException(
                                        "connect to " + target
                                                + " was aborted: the connection was closed while connecting",
                                        null));
                            } else {
                                open(connection, address, loop);
                            }
                        },
                        task -> onLoop(loop, task));
        return connection.connectFuture();
    }

    /** Runs {@code task} on {@code loop}, or right here if the loop has already shut down (a forced close). */
    private static void onLoop(EventLoop loop, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException terminated) {
            task.run();
        }
    }

    private void open(DefaultConnection<T> connection, InetSocketAddress address, EventLoop loop) {
        ChannelFuture future = bootstrap
                .clone(loop)
                .handler(new PipelineInitializer(config, connection, connection.id()))
                .connect(address);
        connection.connecting(future.channel(), address);
        future.addListener(f -> {
            if (f.isSuccess()) {
                connection.connected(future.channel());
            } else {
                connection.connectFailed(connectError(f.cause(), address));
            }
        });
    }

    private CompletableFuture<InetSocketAddress> resolve() {
        String host = config.host();
        int port = config.port();
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(
                        new InetSocketAddress(InetAddress.getByAddress(host, literal), port));
            } catch (UnknownHostException impossible) {
                throw new AssertionError(impossible);
            }
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return new InetSocketAddress(InetAddress.getByName(host), port);
                    } catch (UnknownHostException e) {
                        throw new CompletionException(e);
                    }
                },
                resolver);
    }

    private ConnectFailedException connectError(Throwable cause, InetSocketAddress resolved) {
        String where = "connect to " + target;
        if (resolved != null && !config.host().equals(resolved.getAddress().getHostAddress())) {
            where += " (" + resolved.getAddress().getHostAddress() + ")";
        }
        String why;
        if (cause instanceof UnknownHostException) {
            why = " failed: unknown host " + config.host();
        } else if (cause instanceof ConnectTimeoutException) {
            why = " timed out after " + config.connectTimeout().toMillis() + " ms";
        } else if (cause instanceof ConnectException && cause.getMessage() != null) {
            String message = cause.getMessage(); // Netty appends ": <address>", which we already name
            int colon = message.indexOf(": ");
            why = " failed: " + (colon > 0 ? message.substring(0, colon) : message);
        } else if (cause instanceof java.nio.channels.ClosedChannelException) {
            why = " was aborted: the connection was closed while connecting";
        } else {
            why = " failed: " + cause;
        }
        return new ConnectFailedException(where + why, cause);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    @Override
    public ClientConfig<T> config() {
        return config;
    }

    @Override
    public boolean isClosed() {
        return closing.get();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (!closing.compareAndSet(false, true)) {
            return closeFuture;
        }
        CompletableFuture<?>[] closing =
                connections.stream().map(DefaultConnection::closeAsync).toArray(CompletableFuture[]::new);
        // a connection stuck resolving a host name must not hold the client open past its close timeout
        group.next().schedule(this::release, config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture.allOf(closing).whenComplete((ok, error) -> release());
        return closeFuture;
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        resolver.shutdownNow();
        if (!ownsGroup) {
            closeFuture.complete(null);
            return;
        }
        // quiet period 0: every channel is closed, so no task that matters can still arrive
        group.shutdownGracefully(0, config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        log.warn("client {}: I/O threads did not shut down cleanly", config.name(), f.cause());
                    }
                    closeFuture.complete(null);
                });
    }

    @Override
    public void close() {
        Checks.notOnEventLoop(group, "TetherClient.close()");
        long waitMillis = 2 * config.closeTimeout().toMillis() + 1000;
        try {
            closeAsync().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("interrupted while closing client " + config.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ClientException(
                    "client " + config.name() + " did not finish closing within " + waitMillis + " ms", e);
        }
    }

    @Override
    public String toString() {
        return "TetherClient{" + config.name() + " to " + target + (closing.get() ? ", closed" : "") + "}";
    }
}
