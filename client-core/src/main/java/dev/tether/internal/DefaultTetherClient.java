/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientConfig;
import dev.tether.ClientStats;
import dev.tether.Connection;
import dev.tether.MetricsRecorder;
import dev.tether.TetherClient;
import dev.tether.Transport;
import dev.tether.tls.TlsProvider;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one implementation of {@link TetherClient}. */
public final class DefaultTetherClient<T> implements TetherClient<T> {
    private static final Logger log = LoggerFactory.getLogger(DefaultTetherClient.class);
    /** How long after the close timeout the client forces its connections shut, and waits for that. */
    private static final long FORCE_GRACE_MILLIS = 1000;

    private final ClientConfig<T> config;
    private final Transport transport;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    /** Resolves host names off the I/O threads, which must never block on DNS. */
    private final ThreadPoolExecutor resolver;

    private final Connector connector;
    private final TlsContext tls; // null: plain TCP

    private final MetricsRecorder recorder;

    private final Set<DefaultConnection<T>> connections = ConcurrentHashMap.newKeySet();
    /** The counts of the connections that have closed, guarded by {@code connections}' lock below. */
    private final long[] retired = new long[Counters.SIZE];

    private final AtomicInteger nextId = new AtomicInteger(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final LoopAwareFuture<Void> closeFuture;

    /** Creates the client; starts the I/O threads if it owns them, opens nothing. */
    public DefaultTetherClient(ClientConfig<T> config) {
        this.config = Objects.requireNonNull(config, "config");
        // first, so that a missing certificate file fails before any thread starts
        this.tls = config.tls().map(TlsContext::create).orElse(null);
        this.recorder = GuardedRecorder.guard(config.metrics(), config.name());
        this.ownsGroup = config.eventLoopGroup().isEmpty();
        // a caller's group brings its own transport, which the config detected; only our own group's is resolved
        this.transport = ownsGroup ? Transports.resolve(config.transport()) : config.transport();
        this.group = config.eventLoopGroup()
                .orElseGet(() -> new MultiThreadIoEventLoopGroup(
                        config.ioThreads(),
                        new IoThreadFactory(config.name() + "-io"),
                        Transports.ioHandlerFactory(transport)));
        log.debug("client {} uses the {} transport", config.name(), transport);
        if (transport == Transport.IO_URING && Transports.losesResets()) {
            // the caller's own io_uring group: theirs to run, so a warning rather than a refusal
            log.warn(
                    "client {} runs on io_uring with Netty's multishot polls, on which a reset that arrives right"
                            + " behind data can go unnoticed until the idle timeout; start the JVM with -D{}=false",
                    config.name(),
                    Transports.MULTISHOT_POLL_PROPERTY);
        }
        this.closeFuture = new LoopAwareFuture<>(group);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(
                                config.writeBuffer().lowWaterMark(),
                                config.writeBuffer().highWaterMark()));
        Transports.configure(bootstrap, transport, config.keepAlive());
        this.resolver = new ThreadPoolExecutor(
                1,
                1,
                10,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                new IoThreadFactory(config.name() + "-resolver"));
        resolver.allowCoreThreadTimeOut(true);
        this.connector = new Connector(
                bootstrap,
                resolver,
                config.connectTimeout(),
                tls,
                config.proxy().orElse(null));
        if (tls != null) {
            log.debug("client {} uses the {} TLS provider", config.name(), tls.provider());
        }
        recorder.clientCreated(this); // last: the client is whole
    }

    @Override
    public CompletableFuture<Connection<T>> connect() {
        if (closing.get()) {
            throw new IllegalStateException("client " + config.name() + " is closed; create a new one to connect");
        }
        // one event loop per connection, from the start, so every callback and future of it runs on that thread
        EventLoop loop = group.next();
        DefaultConnection<T> connection = new DefaultConnection<>(
                config.name() + "#" + nextId.getAndIncrement(), config, group, loop, connector, transport, recorder);
        synchronized (connections) {
            connections.add(connection);
        }
        connection.closeFuture().whenComplete((ok, error) -> retire(connection));
        connection.start();
        if (closing.get()) { // closeAsync() ran between the check and the add, and may have missed it
            connection.closeAsync();
        }
        return connection.connectFuture();
    }

    @Override
    public ClientConfig<T> config() {
        return config;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public Optional<TlsProvider> tlsProvider() {
        return Optional.ofNullable(tls).map(TlsContext::provider);
    }

    /** A connection closed for good: its counts move to the retired ones, in one step as far as stats() can see. */
    private void retire(DefaultConnection<T> connection) {
        synchronized (connections) {
            if (connections.remove(connection)) {
                connection.addCountsTo(retired);
            }
        }
    }

    @Override
    public ClientStats stats() {
        long[] values;
        StatsSnapshot.Levels levels = StatsSnapshot.Levels.NONE;
        int open = 0;
        int connected = 0;
        synchronized (connections) {
            values = retired.clone();
            for (DefaultConnection<T> connection : connections) {
                connection.addCountsTo(values);
                levels = levels.plus(connection.levels());
                open++;
                if (connection.isReady()) {
                    connected++;
                }
            }
        }
        return new StatsSnapshot.OfClient(values, levels, config.name(), open, connected);
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
        // A connection that cannot finish closing must not hold the client open for long. Each connection forces its
        // channel shut at the close timeout; this comes a moment later, after that force close has run (shutting
        // the I/O threads down first would cancel it and leave the channel, its sends and buffers behind).
        group.next()
                .schedule(
                        this::forceRelease,
                        config.closeTimeout().toMillis() + FORCE_GRACE_MILLIS,
                        TimeUnit.MILLISECONDS);
        CompletableFuture.allOf(closing).whenComplete((ok, error) -> release());
        return closeFuture;
    }

    /** Closes whatever is still open at once, then releases the threads; the close timeout's last resort. */
    private void forceRelease() {
        if (released.get()) {
            return;
        }
        CompletableFuture<?>[] forced =
                connections.stream().map(DefaultConnection::forceClose).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(forced)
                .orTimeout(FORCE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> release());
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        resolver.shutdownNow();
        if (!ownsGroup) {
            closed();
            return;
        }
        // quiet period 0: every channel is closed, so no task that matters can still arrive
        group.shutdownGracefully(0, config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        log.warn("client {}: I/O threads did not shut down cleanly", config.name(), f.cause());
                    }
                    closed();
                });
    }

    /** The close is done: the recorder hears of it, then the close future completes. */
    private void closed() {
        recorder.clientClosed(this);
        closeFuture.complete(null);
    }

    @Override
    public void close() {
        Checks.awaitClose(
                group, closeAsync(), config.closeTimeout().multipliedBy(2).plusSeconds(1), "client " + config.name());
    }

    @Override
    public String toString() {
        return "TetherClient{" + config.name() + " to " + ConfigText.hostsAndPorts(config.remoteAddresses()) + ", "
                + transport + (closing.get() ? ", closed" : "") + "}";
    }
}
