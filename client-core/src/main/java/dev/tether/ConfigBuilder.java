/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import dev.tether.ClientConfig.Loops;
import dev.tether.ClientConfig.OwnLoops;
import dev.tether.ClientConfig.SharedLoops;
import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import dev.tether.proxy.Proxy;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.tls.Tls;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The settings and setters of {@link ClientConfig.Builder}, its only subclass, which is their public face: this class
 * is package-private, so it adds no type to the API, and keeps {@code ClientConfig.java} short.
 *
 * @param <T> the message type of the codec
 */
abstract sealed class ConfigBuilder<T> permits ClientConfig.Builder {
    // The defaults, in one place; ClientConfig reads these fields in build().
    List<InetSocketAddress> remoteAddresses = List.of();
    Duration connectTimeout = Duration.ofSeconds(10);
    Framing framing = Framing.lines(64 * 1024);
    final Codec<T> codec;
    MessageHandler<T> handler;
    BatchHandler<T> batchHandler;
    ConnectionListener listener = ConnectionListener.NONE;
    MetricsRecorder metrics = MetricsRecorder.NONE;
    final List<Supplier<? extends ChannelHandler>> userHandlers = new ArrayList<>();
    Loops loops = new OwnLoops(1, Transport.AUTO);
    String name = "tether";
    int inboxCapacity = 16384;
    long inboxCapacityBytes = 16L << 20;
    Duration closeTimeout = Duration.ofSeconds(5);
    ReconnectPolicy reconnect = ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(30));
    boolean retryInitialConnect;
    IdlePolicy idle = IdlePolicy.disabled();
    KeepAlive keepAlive = KeepAlive.of(Duration.ofSeconds(15), Duration.ofSeconds(5), 3);
    SendBuffer sendBuffer = SendBuffer.bounded(10_000, 8L << 20);
    WriteBuffer writeBuffer = WriteBuffer.defaults();
    Function<? super Connection<T>, ? extends CompletionStage<?>> onConnect;
    Executor publisherExecutor = ForkJoinPool.commonPool();
    Tls tls; // null: plain TCP
    Proxy proxy; // null: straight to the server

    ConfigBuilder(Codec<T> codec) {
        this.codec = codec;
    }

    ConfigBuilder(ClientConfig<T> c) {
        this(c.codec());
        remoteAddresses = c.remoteAddresses();
        connectTimeout = c.connectTimeout();
        framing = c.framing();
        handler = c.handler().orElse(null);
        batchHandler = c.batchHandler().orElse(null);
        listener = c.listener();
        metrics = c.metrics();
        userHandlers.addAll(c.userHandlers());
        loops = c.loops();
        name = c.name();
        inboxCapacity = c.inboxCapacity();
        inboxCapacityBytes = c.inboxCapacityBytes();
        closeTimeout = c.closeTimeout();
        reconnect = c.reconnect();
        retryInitialConnect = c.retryInitialConnect();
        idle = c.idle();
        keepAlive = c.keepAlive();
        sendBuffer = c.sendBuffer();
        writeBuffer = c.writeBuffer();
        onConnect = c.onConnect().orElse(null);
        publisherExecutor = c.publisherExecutor();
        tls = c.tls().orElse(null);
        proxy = c.proxy().orElse(null);
    }

    /**
     * Sets the server to connect to. Required; there is no default. Replaces any earlier remote address.
     *
     * <p>The host is resolved at each connect, not here, so a name that does not resolve fails the connect with a
     * {@link ConnectFailedException} naming it.
     *
     * @param host a host name or an IP literal; not blank
     * @param port 1 to 65535
     */
    public ClientConfig.Builder<T> remoteAddress(String host, int port) {
        remoteAddresses = List.of(ConfigChecks.address(host, port));
        return self();
    }

    /**
     * Sets the server to connect to from a socket address; an unresolved address is resolved at each connect.
     * Replaces any earlier remote address.
     *
     * @param address the server's address; its port 1 to 65535
     */
    public ClientConfig.Builder<T> remoteAddress(InetSocketAddress address) {
        Objects.requireNonNull(address, "remoteAddress");
        return remoteAddress(address.getHostString(), address.getPort());
    }

    /**
     * Sets several servers to connect to; each attempt takes the next one, round robin, so a reconnect finds
     * whichever is up. Events name the address of each attempt. Replaces any earlier remote address.
     *
     * @param addresses one or more addresses, tried in this order; each port 1 to 65535
     */
    public ClientConfig.Builder<T> remoteAddresses(List<InetSocketAddress> addresses) {
        remoteAddresses = ConfigChecks.addresses(addresses);
        return self();
    }

    /**
     * Sets how long one connection attempt (TCP handshake) may take. Default: 10 seconds.
     *
     * @param timeout more than zero, at most {@link Integer#MAX_VALUE} milliseconds
     */
    public ClientConfig.Builder<T> connectTimeout(Duration timeout) {
        connectTimeout = ConfigChecks.positiveMillis("connectTimeout", timeout);
        return self();
    }

    /**
     * Sets how the stream is cut into frames. Default: {@code Framing.lines(65536)}.
     *
     * @param framing the framing
     */
    public ClientConfig.Builder<T> framing(Framing framing) {
        this.framing = Objects.requireNonNull(framing, "framing");
        return self();
    }

    /**
     * Sets the handler that receives every message. Default: none, so messages wait for
     * {@link Connection#receive(Duration)} and {@link Connection#messages()}.
     *
     * @param handler the handler, or {@code null} to deliver to {@code receive} instead
     */
    public ClientConfig.Builder<T> handler(MessageHandler<T> handler) {
        this.handler = handler;
        return self();
    }

    /**
     * Sets a handler that receives the messages of each socket read at once, instead of one by one. Default: none.
     * Cannot be combined with {@link #handler(MessageHandler)}.
     *
     * @param batchHandler the handler, or {@code null} for none
     */
    public ClientConfig.Builder<T> batchHandler(BatchHandler<T> batchHandler) {
        this.batchHandler = batchHandler;
        return self();
    }

    /**
     * Sets the listener for lifecycle events. Default: {@link ConnectionListener#NONE}.
     *
     * @param listener the listener
     */
    public ClientConfig.Builder<T> listener(ConnectionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /**
     * Reports the client's connect attempts to {@code recorder}, and hands it the client to read
     * {@link TetherClient#stats()} from; client-micrometer's {@code TetherMetrics} is one. Default:
     * {@link MetricsRecorder#NONE}. The statistics are kept either way.
     *
     * @param recorder the recorder
     */
    public ClientConfig.Builder<T> metrics(MetricsRecorder recorder) {
        this.metrics = Objects.requireNonNull(recorder, "metrics");
        return self();
    }

    /**
     * Adds a Netty handler between the codec and the message handler, created anew for every channel.
     *
     * <p>The escape hatch for advanced needs; handlers see decoded messages ({@code String} or {@code byte[]})
     * inbound and messages before encoding outbound. They are named {@code user-0}, {@code user-1}, ... in the order
     * added. A factory, not an instance, because a handler with state cannot be shared between channels.
     *
     * @param factory makes one handler per channel; must not return {@code null}
     */
    public ClientConfig.Builder<T> addHandler(Supplier<? extends ChannelHandler> factory) {
        userHandlers.add(Objects.requireNonNull(factory, "handler factory"));
        return self();
    }

    /**
     * Runs the client on an event-loop group of its own, which it creates and shuts down on close. Replaces an
     * earlier {@link #eventLoopGroup(EventLoopGroup)}. Default: 1 thread on {@link Transport#AUTO}.
     *
     * @param threads I/O threads, 1 to 256; one serves many connections, more pay off only with several busy ones
     * @param transport {@link Transport#AUTO} (native epoll where available, else NIO) or the one to use; one that
     *     is not available here fails {@link TetherClient#create(ClientConfig)}
     */
    public ClientConfig.Builder<T> eventLoops(int threads, Transport transport) {
        loops = new OwnLoops(ConfigChecks.ioThreads(threads), Objects.requireNonNull(transport, "transport"));
        return self();
    }

    /**
     * Runs the client on a caller's shared event-loop group, which the client uses but never shuts down; its
     * transport is detected from the group. Replaces an earlier {@link #eventLoops(int, Transport)}. Default: none,
     * the client's own group.
     *
     * @param shared a running group of Netty's NIO, epoll or io_uring I/O handlers, left running until the client
     *     is closed; the client uses the matching socket channel
     */
    public ClientConfig.Builder<T> eventLoopGroup(EventLoopGroup shared) {
        loops = new SharedLoops(Objects.requireNonNull(shared, "eventLoopGroup"));
        return self();
    }

    /**
     * Names the client in thread names ({@code <name>-io-<n>}) and connection ids ({@code <name>#<n>}). Default:
     * {@code "tether"}.
     *
     * @param name 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}
     */
    public ClientConfig.Builder<T> name(String name) {
        this.name = ConfigChecks.name(name);
        return self();
    }

    /**
     * Sets how many messages may wait for {@link Connection#receive(Duration)} and {@link Connection#messages()};
     * as {@link #inboxCapacity(int, long)} with the bound in bytes as it is. Default: 16,384.
     *
     * @param capacity 1 to 1,048,576 messages
     */
    public ClientConfig.Builder<T> inboxCapacity(int capacity) {
        return inboxCapacity(capacity, inboxCapacityBytes);
    }

    /**
     * Bounds the inbox behind {@link Connection#receive(Duration)} and {@link Connection#messages()} both in messages
     * and in bytes: when it holds {@code messages} messages or {@code bytes} bytes, whichever comes first, the client
     * stops reading the socket until it is under half of both. A {@code byte[]} counts its length, a {@code String}
     * its length in chars. Frames already read when reading pauses are still delivered, so the inbox can pass either
     * bound by one socket read (up to 256 KiB). Unused when a handler is set. Defaults: 16,384 messages, 16 MiB: two
     * full socket reads of 64-byte lines, so the I/O thread can read the next while the receiver takes the last.
     *
     * @param messages 1 to 1,048,576 messages
     * @param bytes 1 or more bytes
     */
    public ClientConfig.Builder<T> inboxCapacity(int messages, long bytes) {
        int checked = ConfigChecks.inboxMessages(messages);
        inboxCapacityBytes = ConfigChecks.inboxBytes(bytes);
        inboxCapacity = checked;
        return self();
    }

    /**
     * Sets how long closing may take: flushing and closing channels, and shutting down the client's own threads.
     * Default: 5 seconds.
     *
     * @param timeout more than zero, at most {@link Integer#MAX_VALUE} milliseconds
     */
    public ClientConfig.Builder<T> closeTimeout(Duration timeout) {
        closeTimeout = ConfigChecks.positiveMillis("closeTimeout", timeout);
        return self();
    }

    /**
     * Sets when to reconnect after a failed attempt or a lost connection. Default:
     * {@code ReconnectPolicy.exponential(100 ms, 30 s)} with full jitter and no limit on attempts.
     *
     * @param policy the policy; {@link ReconnectPolicy#disabled()} makes a lost connection final
     */
    public ClientConfig.Builder<T> reconnect(ReconnectPolicy policy) {
        reconnect = Objects.requireNonNull(policy, "reconnect");
        return self();
    }

    /**
     * Sets whether a failed first connect is retried under the reconnect policy. Default: {@code false}, the first
     * {@link TetherClient#connect()} fails fast so a wrong address is reported at once; with {@code true} its future
     * completes when an attempt succeeds, or fails when the policy gives up.
     *
     * @param retry {@code true} to keep trying the first connect
     */
    public ClientConfig.Builder<T> retryInitialConnect(boolean retry) {
        retryInitialConnect = retry;
        return self();
    }

    /**
     * Sets the read timeout, heartbeat and frame timeout. Default: {@link IdlePolicy#disabled()}.
     *
     * @param policy the idle policy
     */
    public ClientConfig.Builder<T> idle(IdlePolicy policy) {
        idle = Objects.requireNonNull(policy, "idle");
        return self();
    }

    /**
     * Sets TCP keepalive. Default: {@code KeepAlive.of(15 s, 5 s, 3)}, so a vanished peer is detected within 30 s.
     *
     * @param keepAlive the keepalive settings, or {@link KeepAlive#disabled()}
     */
    public ClientConfig.Builder<T> keepAlive(KeepAlive keepAlive) {
        this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
        return self();
    }

    /**
     * Sets what happens to sends while the connection is down. Default: {@code SendBuffer.bounded(10000, 8 MiB)}:
     * held and written in order after the reconnect.
     *
     * @param sendBuffer the policy, or {@link SendBuffer#disabled()} to reject such sends at once
     */
    public ClientConfig.Builder<T> sendBuffer(SendBuffer sendBuffer) {
        this.sendBuffer = Objects.requireNonNull(sendBuffer, "sendBuffer");
        return self();
    }

    /**
     * Sets the bound on bytes waiting to be written to an open connection, and what a send does over it. Default:
     * {@link WriteBuffer#defaults()}: unwritable once 64 KiB wait, sends fail once 8 MiB wait.
     *
     * @param writeBuffer the policy
     */
    public ClientConfig.Builder<T> writeBuffer(WriteBuffer writeBuffer) {
        this.writeBuffer = Objects.requireNonNull(writeBuffer, "writeBuffer");
        return self();
    }

    /**
     * Sets a hook that runs after every successful connect and reconnect, before anything else is written: to log in
     * or resubscribe. Its own sends go first; sends made meanwhile by other code, and sends buffered during an
     * outage, follow once the returned stage completes. If the stage fails, or has not completed within the
     * {@linkplain #connectTimeout(Duration) connect timeout}, the connection is closed with that cause and the
     * reconnect policy decides what follows. Called on the I/O thread; must not block. Default: none.
     *
     * <pre>{@code
     * .onConnect(connection -> connection.send("LOGIN alice"))
     * }</pre>
     *
     * @param hook makes the stage to wait for; or {@code null} for none
     */
    public ClientConfig.Builder<T> onConnect(Function<? super Connection<T>, ? extends CompletionStage<?>> hook) {
        onConnect = hook;
        return self();
    }

    /**
     * Sets the executor on which the {@link Connection#messages()} publisher signals its subscriber: every
     * {@code onSubscribe}, {@code onNext}, {@code onError} and {@code onComplete} runs there, one at a time.
     * Unused when a handler is set. Default: {@link ForkJoinPool#commonPool()}.
     *
     * @param executor runs each task on a thread of its own, not the caller's: an executor that runs tasks in the
     *     calling thread would call the subscriber on an I/O thread
     */
    public ClientConfig.Builder<T> publisherExecutor(Executor executor) {
        publisherExecutor = Objects.requireNonNull(executor, "publisherExecutor");
        return self();
    }

    /**
     * Encrypts every connection with TLS, set up as {@code tls} says; {@code null} turns TLS off. Default: off.
     *
     * <p>With TLS on, a connect succeeds only after the handshake: the server's certificate is trusted and names the
     * host (or {@link Tls#withServerName the name set}), within {@link Tls#withHandshakeTimeout the handshake
     * timeout}. Otherwise the connect fails with a {@link ConnectFailedException} that says what was wrong (an
     * untrusted issuer, a name mismatch, an expired certificate, a plain-text server...). Reconnects, idle detection,
     * heartbeats and the on-connect hook work as without TLS; a close sends TLS's {@code close_notify} first.
     *
     * <pre>{@code
     * builder.remoteAddress("feed.example.com", 9443).tls(Tls.system());
     * }</pre>
     *
     * @param tls the TLS settings, or null for plain TCP
     */
    public ClientConfig.Builder<T> tls(Tls tls) {
        this.tls = tls;
        return self();
    }

    /**
     * Reaches every server through {@code proxy}: SOCKS5, SOCKS4a or an HTTP proxy's {@code CONNECT}; {@code null}
     * connects straight. Default: none.
     *
     * <p>Each connect and reconnect, to each of the remote addresses in turn, goes through the proxy, which resolves
     * the server's name unless {@link Proxy#withLocalResolution()} says otherwise. The connect timeout covers the
     * connect to the proxy and its handshake. A refusal fails the connect with a {@link ConnectFailedException} that
     * names the proxy, the server and the proxy's reason, for example {@code SOCKS5 proxy 127.0.0.1:1080 refused the
     * connection to feed.internal:9000: connection not allowed by ruleset}. With {@link #tls TLS}, the handshake runs
     * with the server through the tunnel and checks the server's name.
     *
     * @param proxy the proxy, or null for none
     */
    public ClientConfig.Builder<T> proxy(Proxy proxy) {
        this.proxy = proxy;
        return self();
    }

    /**
     * Checks the settings together and makes the config; opens nothing.
     *
     * @return the immutable config
     * @throws IllegalStateException if no remote address was set, or both a handler and a batch handler were
     */
    public ClientConfig<T> build() {
        if (remoteAddresses.isEmpty()) {
            throw new IllegalStateException("remoteAddress is required: call remoteAddress(host, port)");
        }
        if (handler != null && batchHandler != null) {
            throw new IllegalStateException(
                    "handler and batchHandler are both set: messages go to one of them; remove one");
        }
        return new ClientConfig<>(this);
    }

    private ClientConfig.Builder<T> self() {
        return (ClientConfig.Builder<T>) this;
    }
}
