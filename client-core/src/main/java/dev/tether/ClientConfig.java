/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import dev.tether.internal.ConfigText;
import dev.tether.internal.Transports;
import dev.tether.proxy.Proxy;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.tls.Tls;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The immutable settings of a {@link TetherClient}, made with a {@link Builder}.
 *
 * <p>Setters validate at once and name the setting in their message; {@link Builder#build()} checks the rules that
 * involve several settings. A config can be shared between clients, compared and printed. Derive variants with
 * {@link #toBuilder()}. Each accessor returns what its setter set; the setter's javadoc gives the default.
 *
 * <pre>{@code
 * ClientConfig<String> config = ClientConfig.builder()
 *         .remoteAddress("127.0.0.1", 9000)
 *         .connectTimeout(Duration.ofSeconds(5))
 *         .framing(Framing.lines(8 * 1024))
 *         .handler((connection, line) -> System.out.println(line))
 *         .build();
 * ClientConfig<String> pulling = config.toBuilder().handler(null).build();
 * }</pre>
 *
 * @param <T> the message type of the codec: {@code String} or {@code byte[]}
 * @since 0.1
 */
public final class ClientConfig<T> {
    private final Values<T> v;

    ClientConfig(ConfigBuilder<T> b) {
        this.v = new Values<>(
                b.remoteAddresses,
                b.connectTimeout,
                b.framing,
                b.codec,
                b.handler,
                b.batchHandler,
                b.listener,
                List.copyOf(b.userHandlers),
                b.loops,
                b.name,
                b.inboxCapacity,
                b.inboxCapacityBytes,
                b.closeTimeout,
                b.reconnect,
                b.retryInitialConnect,
                b.idle,
                b.keepAlive,
                b.sendBuffer,
                b.writeBuffer,
                b.onConnect,
                b.publisherExecutor,
                b.tls,
                b.proxy,
                b.metrics);
    }

    /** {@return a new builder for UTF-8 text messages ({@link Codec#utf8()}), with every other default} */
    public static Builder<String> builder() {
        return new Builder<>(Codec.utf8());
    }

    /**
     * {@return a new builder for the given codec, which fixes the message type; every other setting at its default}
     *
     * @param codec text in a charset, or bytes
     * @param <T> the codec's message type
     */
    public static <T> Builder<T> builder(Codec<T> codec) {
        return new Builder<>(Objects.requireNonNull(codec, "codec"));
    }

    /** {@return a new builder that starts from this config's values} */
    public Builder<T> toBuilder() {
        return new Builder<>(this);
    }

    /** {@return the servers, in the order attempts rotate through them: unresolved, unmodifiable, not empty} */
    public List<InetSocketAddress> remoteAddresses() {
        return v.remoteAddresses;
    }

    /** {@return how long one connection attempt may take} */
    public Duration connectTimeout() {
        return v.connectTimeout;
    }

    /** {@return how the stream is cut into frames} */
    public Framing framing() {
        return v.framing;
    }

    /** {@return how frames become messages} */
    public Codec<T> codec() {
        return v.codec;
    }

    /** {@return the message handler; empty means messages go to {@link Connection#receive(Duration)}} */
    public Optional<MessageHandler<T>> handler() {
        return Optional.ofNullable(v.handler);
    }

    /** {@return the handler that receives the messages of each read at once, if one was set} */
    public Optional<BatchHandler<T>> batchHandler() {
        return Optional.ofNullable(v.batchHandler);
    }

    /** {@return the metrics recorder; {@link MetricsRecorder#NONE} by default} */
    public MetricsRecorder metrics() {
        return v.metrics;
    }

    /** {@return the lifecycle listener; {@link ConnectionListener#NONE} by default} */
    public ConnectionListener listener() {
        return v.listener;
    }

    /** {@return the factories of extra Netty handlers, in pipeline order; unmodifiable} */
    public List<Supplier<? extends ChannelHandler>> userHandlers() {
        return v.userHandlers;
    }

    /** {@return the caller's shared event-loop group; empty when the client creates and shuts down its own} */
    public Optional<EventLoopGroup> eventLoopGroup() {
        return v.loops instanceof SharedLoops shared ? Optional.of(shared.group) : Optional.empty();
    }

    /** {@return the number of I/O threads of the client's own group; 0 when it runs on a caller's shared group} */
    public int ioThreads() {
        return v.loops instanceof OwnLoops own ? own.threads : 0;
    }

    /**
     * {@return the transport: for the client's own group the one asked for ({@link Transport#AUTO} by default, which
     * {@link TetherClient#transport()} resolves); for a caller's shared group that group's, never {@code AUTO}}
     */
    public Transport transport() {
        return v.loops instanceof OwnLoops own ? own.transport : Transports.of(((SharedLoops) v.loops).group);
    }

    /** {@return the client's name, used in thread names and connection ids} */
    public String name() {
        return v.name;
    }

    /** {@return how many messages may wait for {@link Connection#receive(Duration)} before reading pauses} */
    public int inboxCapacity() {
        return v.inboxCapacity;
    }

    /** {@return how many bytes of messages may wait in the inbox before reading pauses} */
    public long inboxCapacityBytes() {
        return v.inboxCapacityBytes;
    }

    /** {@return how long closing may take before {@link TetherClient#close()} gives up waiting} */
    public Duration closeTimeout() {
        return v.closeTimeout;
    }

    /** {@return when to reconnect after a failed attempt or a lost connection} */
    public ReconnectPolicy reconnect() {
        return v.reconnect;
    }

    /** {@return whether a failed first connect is retried under the reconnect policy, rather than failing at once} */
    public boolean retryInitialConnect() {
        return v.retryInitialConnect;
    }

    /** {@return the read timeout, heartbeat and frame timeout settings} */
    public IdlePolicy idle() {
        return v.idle;
    }

    /** {@return the TCP keepalive settings} */
    public KeepAlive keepAlive() {
        return v.keepAlive;
    }

    /** {@return what happens to sends while the connection is down} */
    public SendBuffer sendBuffer() {
        return v.sendBuffer;
    }

    /** {@return the bound on bytes waiting to be written to an open connection, and what a send does over it} */
    public WriteBuffer writeBuffer() {
        return v.writeBuffer;
    }

    /** {@return the hook that runs after every successful connect, before anything else is written, if one was set} */
    public Optional<Function<? super Connection<T>, ? extends CompletionStage<?>>> onConnect() {
        return Optional.ofNullable(v.onConnect);
    }

    /** {@return the executor on which the {@link Connection#messages()} publisher signals its subscriber} */
    public Executor publisherExecutor() {
        return v.publisherExecutor;
    }

    /** {@return the TLS settings, if the client encrypts its connections} */
    public Optional<Tls> tls() {
        return Optional.ofNullable(v.tls);
    }

    /** {@return the proxy every connection goes through, if one was set} */
    public Optional<Proxy> proxy() {
        return Optional.ofNullable(v.proxy);
    }

    Loops loops() {
        return v.loops;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientConfig<?> other && v.equals(other.v);
    }

    @Override
    public int hashCode() {
        return v.hashCode();
    }

    @Override
    public String toString() {
        return "ClientConfig{name=" + v.name
                + ", remoteAddresses=" + ConfigText.hostsAndPorts(v.remoteAddresses)
                + ", connectTimeout=" + v.connectTimeout
                + ", framing=" + v.framing
                + ", codec=" + v.codec
                + ", handler=" + (v.handler != null ? "set" : v.batchHandler != null ? "batch" : "none (receive)")
                + ", listener=" + (v.listener == ConnectionListener.NONE ? "none" : "set")
                + ", userHandlers=" + v.userHandlers.size()
                + ", eventLoopGroup="
                + (v.loops instanceof OwnLoops own ? "own, " + own.threads + " thread(s)" : "caller's")
                + ", transport=" + transport()
                + ", inboxCapacity=" + v.inboxCapacity
                + ", inboxCapacityBytes=" + v.inboxCapacityBytes
                + ", closeTimeout=" + v.closeTimeout
                + ", reconnect=" + v.reconnect
                + (v.retryInitialConnect ? ", retryInitialConnect" : "")
                + ", idle=" + v.idle
                + ", keepAlive=" + v.keepAlive
                + ", sendBuffer=" + v.sendBuffer
                + ", writeBuffer=" + v.writeBuffer
                + ", onConnect=" + (v.onConnect == null ? "none" : "set")
                + ", publisherExecutor="
                + (v.publisherExecutor == ForkJoinPool.commonPool() ? "ForkJoinPool.commonPool()" : "set")
                + ", tls=" + (v.tls == null ? "off" : v.tls)
                + ", proxy=" + (v.proxy == null ? "none" : v.proxy)
                + ", metrics=" + (v.metrics == MetricsRecorder.NONE ? "none" : v.metrics)
                + "}";
    }

    /** Every setting, once: equality, hash code and printing follow from it, so no setting can be left out. */
    private record Values<T>(
            List<InetSocketAddress> remoteAddresses,
            Duration connectTimeout,
            Framing framing,
            Codec<T> codec,
            MessageHandler<T> handler, // null: none
            BatchHandler<T> batchHandler, // null: none
            ConnectionListener listener,
            List<Supplier<? extends ChannelHandler>> userHandlers,
            Loops loops,
            String name,
            int inboxCapacity,
            long inboxCapacityBytes,
            Duration closeTimeout,
            ReconnectPolicy reconnect,
            boolean retryInitialConnect,
            IdlePolicy idle,
            KeepAlive keepAlive,
            SendBuffer sendBuffer,
            WriteBuffer writeBuffer,
            Function<? super Connection<T>, ? extends CompletionStage<?>> onConnect, // null: none
            Executor publisherExecutor,
            Tls tls, // null: plain TCP
            Proxy proxy, // null: straight to the server
            MetricsRecorder metrics) {}

    /** Who owns the event loops: one value, so the last of {@code eventLoops} and {@code eventLoopGroup} wins. */
    sealed interface Loops permits OwnLoops, SharedLoops {}

    /** The client's own group, which it creates and shuts down. */
    record OwnLoops(int threads, Transport transport) implements Loops {}

    /** A caller's running group, which the client uses but never shuts down. */
    record SharedLoops(EventLoopGroup group) implements Loops {}

    /**
     * Collects and validates settings; {@link #build()} makes the immutable {@link ClientConfig}.
     *
     * <p>Every setter returns this builder. It throws {@link NullPointerException} for a null argument unless it says
     * otherwise, and {@link IllegalArgumentException}, naming the setting and the value, for a value outside the
     * range it states. A builder is not thread-safe: fill it on one thread; the {@link ClientConfig} it builds is
     * immutable and may be shared.
     *
     * @param <T> the message type of the codec
     * @since 0.1
     */
    public static final class Builder<T> extends ConfigBuilder<T> {
        private Builder(Codec<T> codec) {
            super(codec);
        }

        private Builder(ClientConfig<T> config) {
            super(config);
        }
    }
}
