/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import dev.tether.internal.ConfigText;
import dev.tether.reconnect.ReconnectPolicy;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The immutable settings of a {@link TetherClient}, made with a {@link Builder}.
 *
 * <p>Setters validate at once and name the setting in their message; {@link Builder#build()} checks the rules that
 * involve several settings. A config can be shared between clients, compared and printed. Derive variants with
 * {@link #toBuilder()}.
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
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final List<InetSocketAddress> remoteAddresses;
    private final Duration connectTimeout;
    private final Framing framing;
    private final Codec<T> codec;
    private final MessageHandler<T> handler;
    private final BatchHandler<T> batchHandler;
    private final ConnectionListener listener;
    private final List<Supplier<? extends ChannelHandler>> userHandlers;
    private final EventLoopGroup eventLoopGroup;
    private final int ioThreads;
    private final String name;
    private final int inboxCapacity;
    private final long inboxCapacityBytes;
    private final Duration closeTimeout;
    private final ReconnectPolicy reconnect;
    private final boolean retryInitialConnect;
    private final IdlePolicy idle;
    private final KeepAlive keepAlive;
    private final Transport transport;
    private final SendBuffer sendBuffer;
    private final WriteBuffer writeBuffer;
    private final Function<? super Connection<T>, ? extends CompletionStage<?>> onConnect;

    private ClientConfig(Builder<T> b) {
        this.remoteAddresses = List.copyOf(b.remoteAddresses);
        this.connectTimeout = b.connectTimeout;
        this.framing = b.framing;
        this.codec = b.codec;
        this.handler = b.handler;
        this.batchHandler = b.batchHandler;
        this.listener = b.listener;
        this.userHandlers = List.copyOf(b.userHandlers);
        this.eventLoopGroup = b.eventLoopGroup;
        this.ioThreads = b.ioThreads;
        this.name = b.name;
        this.inboxCapacity = b.inboxCapacity;
        this.inboxCapacityBytes = b.inboxCapacityBytes;
        this.closeTimeout = b.closeTimeout;
        this.reconnect = b.reconnect;
        this.retryInitialConnect = b.retryInitialConnect;
        this.idle = b.idle;
        this.keepAlive = b.keepAlive;
        this.transport = b.transport;
        this.sendBuffer = b.sendBuffer;
        this.writeBuffer = b.writeBuffer;
        this.onConnect = b.onConnect;
    }

    /**
     * Starts a builder for UTF-8 text messages ({@link Codec#utf8()}).
     *
     * @return a new builder with every default
     */
    public static Builder<String> builder() {
        return new Builder<>(Codec.utf8());
    }

    /**
     * Starts a builder for the given codec, which fixes the message type.
     *
     * @param codec text in a charset, or bytes
     * @param <T> the codec's message type
     * @return a new builder with every other default
     */
    public static <T> Builder<T> builder(Codec<T> codec) {
        return new Builder<>(Objects.requireNonNull(codec, "codec"));
    }

    /**
     * Returns a builder that starts from this config's values.
     *
     * @return a new builder
     */
    public Builder<T> toBuilder() {
        return new Builder<>(this);
    }

    /**
     * Returns the first server's host name or IP literal.
     *
     * @return the host
     */
    public String host() {
        return remoteAddresses.get(0).getHostString();
    }

    /**
     * Returns the first server's port.
     *
     * @return the port, 1 to 65535
     */
    public int port() {
        return remoteAddresses.get(0).getPort();
    }

    /**
     * Returns the servers to connect to, in the order attempts rotate through them; unresolved addresses.
     *
     * @return an unmodifiable, non-empty list
     */
    public List<InetSocketAddress> remoteAddresses() {
        return remoteAddresses;
    }

    /**
     * Returns how long one connection attempt may take.
     *
     * @return the connect timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Returns how the stream is cut into frames.
     *
     * @return the framing
     */
    public Framing framing() {
        return framing;
    }

    /**
     * Returns how frames become messages.
     *
     * @return the codec
     */
    public Codec<T> codec() {
        return codec;
    }

    /**
     * Returns the message handler; empty means messages go to {@link Connection#receive(Duration)}.
     *
     * @return the handler, if one was set
     */
    public Optional<MessageHandler<T>> handler() {
        return Optional.ofNullable(handler);
    }

    /**
     * Returns the lifecycle listener.
     *
     * @return the listener; {@link ConnectionListener#NONE} by default
     */
    public ConnectionListener listener() {
        return listener;
    }

    /**
     * Returns the factories of extra Netty handlers, in pipeline order.
     *
     * @return an unmodifiable list
     */
    public List<Supplier<? extends ChannelHandler>> userHandlers() {
        return userHandlers;
    }

    /**
     * Returns the caller's event-loop group; empty means the client creates and shuts down its own.
     *
     * @return the group, if one was passed in
     */
    public Optional<EventLoopGroup> eventLoopGroup() {
        return Optional.ofNullable(eventLoopGroup);
    }

    /**
     * Returns the number of I/O threads the client creates when it owns its event-loop group.
     *
     * @return the thread count
     */
    public int ioThreads() {
        return ioThreads;
    }

    /**
     * Returns the client's name, used in thread names and connection ids.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns how many messages may wait for {@link Connection#receive(Duration)} before reading pauses.
     *
     * @return the inbox capacity in messages
     */
    public int inboxCapacity() {
        return inboxCapacity;
    }

    /**
     * Returns how many bytes of messages may wait for {@link Connection#receive(Duration)} before reading pauses,
     * counting a {@code byte[]} by its length and a {@code String} by its length in chars.
     *
     * @return the inbox capacity in bytes
     */
    public long inboxCapacityBytes() {
        return inboxCapacityBytes;
    }

    /**
     * Returns how long closing may take before {@link TetherClient#close()} gives up waiting.
     *
     * @return the close timeout
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /**
     * Returns when to reconnect after a failed attempt or a lost connection.
     *
     * @return the reconnect policy
     */
    public ReconnectPolicy reconnect() {
        return reconnect;
    }

    /**
     * Tells whether a failed first connect is retried under the reconnect policy, rather than failing at once.
     *
     * @return {@code true} to keep trying the first connect
     */
    public boolean retryInitialConnect() {
        return retryInitialConnect;
    }

    /**
     * Returns the read timeout, heartbeat and frame timeout settings.
     *
     * @return the idle policy
     */
    public IdlePolicy idle() {
        return idle;
    }

    /**
     * Returns the TCP keepalive settings.
     *
     * @return the keepalive settings
     */
    public KeepAlive keepAlive() {
        return keepAlive;
    }

    /**
     * Returns the requested transport.
     *
     * @return the transport
     */
    /** Temporary until the config rewrite lands. */
    public java.util.concurrent.Executor publisherExecutor() {
        return java.util.concurrent.ForkJoinPool.commonPool();
    }

    public Transport transport() {
        return transport;
    }

    /**
     * Returns what happens to sends while the connection is down.
     *
     * @return the send buffer policy
     */
    public SendBuffer sendBuffer() {
        return sendBuffer;
    }

    /**
     * Returns the bound on bytes waiting to be written to an open connection, and what a send does over it.
     *
     * @return the write buffer policy
     */
    public WriteBuffer writeBuffer() {
        return writeBuffer;
    }

    /**
     * Returns the handler that receives the messages of each read at once.
     *
     * @return the batch handler, if one was set
     */
    public Optional<BatchHandler<T>> batchHandler() {
        return Optional.ofNullable(batchHandler);
    }

    /**
     * Returns the hook that runs after every successful connect, before anything else is written.
     *
     * @return the hook, if one was set
     */
    public Optional<Function<? super Connection<T>, ? extends CompletionStage<?>>> onConnect() {
        return Optional.ofNullable(onConnect);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientConfig<?> other
                && ioThreads == other.ioThreads
                && inboxCapacity == other.inboxCapacity
                && inboxCapacityBytes == other.inboxCapacityBytes
                && remoteAddresses.equals(other.remoteAddresses)
                && connectTimeout.equals(other.connectTimeout)
                && framing.equals(other.framing)
                && codec.equals(other.codec)
                && Objects.equals(handler, other.handler)
                && Objects.equals(batchHandler, other.batchHandler)
                && listener.equals(other.listener)
                && userHandlers.equals(other.userHandlers)
                && Objects.equals(eventLoopGroup, other.eventLoopGroup)
                && name.equals(other.name)
                && closeTimeout.equals(other.closeTimeout)
                && reconnect.equals(other.reconnect)
                && retryInitialConnect == other.retryInitialConnect
                && idle.equals(other.idle)
                && keepAlive.equals(other.keepAlive)
                && transport == other.transport
                && sendBuffer.equals(other.sendBuffer)
                && writeBuffer.equals(other.writeBuffer)
                && Objects.equals(onConnect, other.onConnect);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                remoteAddresses,
                connectTimeout,
                framing,
                codec,
                handler,
                batchHandler,
                listener,
                userHandlers,
                eventLoopGroup,
                ioThreads,
                name,
                inboxCapacity,
                inboxCapacityBytes,
                closeTimeout,
                reconnect,
                retryInitialConnect,
                idle,
                keepAlive,
                transport,
                sendBuffer,
                writeBuffer,
                onConnect);
    }

    @Override
    public String toString() {
        return "ClientConfig{name=" + name
                + ", remoteAddresses=" + ConfigText.hostsAndPorts(remoteAddresses)
                + ", connectTimeout=" + connectTimeout
                + ", framing=" + framing
                + ", codec=" + codec
                + ", handler=" + (handler != null ? "set" : batchHandler != null ? "batch" : "none (receive)")
                + ", userHandlers=" + userHandlers.size()
                + ", eventLoopGroup=" + (eventLoopGroup == null ? "own, " + ioThreads + " thread(s)" : "caller's")
                + ", inboxCapacity=" + inboxCapacity
                + ", inboxCapacityBytes=" + inboxCapacityBytes
                + ", closeTimeout=" + closeTimeout
                + ", reconnect=" + reconnect
                + (retryInitialConnect ? ", retryInitialConnect" : "")
                + ", idle=" + idle
                + ", keepAlive=" + keepAlive
                + ", transport=" + transport
                + ", sendBuffer=" + sendBuffer
                + ", writeBuffer=" + writeBuffer
                + ", onConnect=" + (onConnect == null ? "none" : "set")
                + "}";
    }

    /**
     * Collects and validates settings; {@link #build()} makes the immutable {@link ClientConfig}.
     *
     * <p>Every setter throws {@link NullPointerException} for a null argument unless it says otherwise, and
     * {@link IllegalArgumentException}, naming the setting and the value, for a value out of range. A builder is not
     * thread-safe: fill it on one thread; the {@link ClientConfig} it builds is immutable and may be shared.
     *
     * @param <T> the message type of the codec
     * @since 0.1
     */
    public static final class Builder<T> {
        // The defaults, in one place.
        private List<InetSocketAddress> remoteAddresses = List.of();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Framing framing = Framing.lines(64 * 1024);
        private final Codec<T> codec;
        private MessageHandler<T> handler;
        private BatchHandler<T> batchHandler;
        private ConnectionListener listener = ConnectionListener.NONE;
        private final List<Supplier<? extends ChannelHandler>> userHandlers = new ArrayList<>();
        private EventLoopGroup eventLoopGroup;
        private int ioThreads = 1;
        private boolean ioThreadsSet;
        private String name = "tether";
        private int inboxCapacity = 16384;
        private long inboxCapacityBytes = 16L << 20;
        private Duration closeTimeout = Duration.ofSeconds(5);
        private ReconnectPolicy reconnect = ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(30));
        private boolean retryInitialConnect;
        private IdlePolicy idle = IdlePolicy.disabled();
        private KeepAlive keepAlive = KeepAlive.of(Duration.ofSeconds(15), Duration.ofSeconds(5), 3);
        private Transport transport = Transport.AUTO;
        private SendBuffer sendBuffer = SendBuffer.bounded(10_000, 8L << 20);
        private WriteBuffer writeBuffer = WriteBuffer.defaults();
        private Function<? super Connection<T>, ? extends CompletionStage<?>> onConnect;

        private Builder(Codec<T> codec) {
            this.codec = codec;
        }

        private Builder(ClientConfig<T> c) {
            this.codec = c.codec;
            this.remoteAddresses = c.remoteAddresses;
            this.connectTimeout = c.connectTimeout;
            this.framing = c.framing;
            this.handler = c.handler;
            this.batchHandler = c.batchHandler;
            this.listener = c.listener;
            this.userHandlers.addAll(c.userHandlers);
            this.eventLoopGroup = c.eventLoopGroup;
            this.ioThreads = c.ioThreads;
            this.name = c.name;
            this.inboxCapacity = c.inboxCapacity;
            this.inboxCapacityBytes = c.inboxCapacityBytes;
            this.closeTimeout = c.closeTimeout;
            this.reconnect = c.reconnect;
            this.retryInitialConnect = c.retryInitialConnect;
            this.idle = c.idle;
            this.keepAlive = c.keepAlive;
            this.transport = c.transport;
            this.sendBuffer = c.sendBuffer;
            this.writeBuffer = c.writeBuffer;
            this.onConnect = c.onConnect;
        }

        /**
         * Sets the server to connect to. Required; there is no default.
         *
         * <p>The host is resolved at each connect, not here, so a name that does not resolve fails the connect
         * with a {@link ConnectFailedException} naming it.
         *
         * @param host a host name or an IP literal; not blank
         * @param port 1 to 65535
         * @return this builder
         * @throws IllegalArgumentException if the host is blank or the port out of range
         */
        public Builder<T> remoteAddress(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("remoteAddress host must not be blank");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("remoteAddress port must be in 1..65535, was " + port);
            }
            this.remoteAddresses = List.of(InetSocketAddress.createUnresolved(host.strip(), port));
            return this;
        }

        /**
         * Sets the server to connect to from a socket address; an unresolved address is resolved at each connect.
         *
         * @param address the server's address; its port must be 1 to 65535
         * @return this builder
         * @throws IllegalArgumentException if the port is 0
         */
        public Builder<T> remoteAddress(InetSocketAddress address) {
            Objects.requireNonNull(address, "remoteAddress");
            return remoteAddress(address.getHostString(), address.getPort());
        }

        /**
         * Sets several servers to connect to; each attempt takes the next one, round robin, so a reconnect finds
         * whichever is up. Events name the address of each attempt. Replaces any earlier remote address.
         *
         * @param addresses one or more addresses, tried in this order; each port 1 to 65535
         * @return this builder
         * @throws IllegalArgumentException if the list is empty or a port is 0
         */
        public Builder<T> remoteAddresses(List<InetSocketAddress> addresses) {
            Objects.requireNonNull(addresses, "remoteAddresses");
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("remoteAddresses must not be empty");
            }
            List<InetSocketAddress> copy = new ArrayList<>();
            for (InetSocketAddress address : addresses) {
                Objects.requireNonNull(address, "remoteAddresses element");
                remoteAddress(address.getHostString(), address.getPort()); // validates
                copy.add(remoteAddresses.get(0));
            }
            this.remoteAddresses = List.copyOf(copy);
            return this;
        }

        /**
         * Sets how long one connection attempt (TCP handshake) may take. Default: 10 seconds.
         *
         * @param timeout more than zero, at most {@link Integer#MAX_VALUE} milliseconds
         * @return this builder
         * @throws IllegalArgumentException if the timeout is zero, negative or too large
         */
        public Builder<T> connectTimeout(Duration timeout) {
            this.connectTimeout = positiveMillis("connectTimeout", timeout);
            return this;
        }

        /**
         * Sets how the stream is cut into frames. Default: {@code Framing.lines(65536)}.
         *
         * @param framing the framing
         * @return this builder
         */
        public Builder<T> framing(Framing framing) {
            this.framing = Objects.requireNonNull(framing, "framing");
            return this;
        }

        /**
         * Sets the handler that receives every message. Default: none, so messages wait for
         * {@link Connection#receive(Duration)}.
         *
         * @param handler the handler, or {@code null} to deliver to {@code receive} instead
         * @return this builder
         */
        public Builder<T> handler(MessageHandler<T> handler) {
            this.handler = handler;
            return this;
        }

        /**
         * Sets a handler that receives the messages of each socket read at once, instead of one by one. Default:
         * none. Cannot be combined with {@link #handler(MessageHandler)}.
         *
         * @param batchHandler the handler, or {@code null} for none
         * @return this builder
         */
        public Builder<T> batchHandler(BatchHandler<T> batchHandler) {
            this.batchHandler = batchHandler;
            return this;
        }

        /**
         * Sets the bound on bytes waiting to be written to an open connection, and what a send does over it.
         * Default: {@link WriteBuffer#defaults()}: unwritable once 64 KiB wait, sends fail once 8 MiB wait.
         *
         * @param writeBuffer the policy
         * @return this builder
         */
        public Builder<T> writeBuffer(WriteBuffer writeBuffer) {
            this.writeBuffer = Objects.requireNonNull(writeBuffer, "writeBuffer");
            return this;
        }

        /**
         * Sets the listener for lifecycle events. Default: {@link ConnectionListener#NONE}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder<T> listener(ConnectionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Adds a Netty handler between the codec and the message handler, created anew for every channel.
         *
         * <p>The escape hatch for advanced needs; handlers see decoded messages ({@code String} or {@code byte[]})
         * inbound and messages before encoding outbound. They are named {@code user-0}, {@code user-1}, ... in the
         * order added. A factory, not an instance, because a handler with state cannot be shared between
         * channels.
         *
         * @param factory makes one handler per channel; must not return {@code null}
         * @return this builder
         */
        public Builder<T> addHandler(Supplier<? extends ChannelHandler> factory) {
            userHandlers.add(Objects.requireNonNull(factory, "handler factory"));
            return this;
        }

        /**
         * Runs the client on the caller's event-loop group, which the client never shuts down. Default: none, the
         * client creates its own group of {@link #ioThreads(int)} threads and shuts it down on close.
         *
         * @param group a running group of Netty's NIO, epoll or io_uring I/O handlers; the client uses the matching
         *     socket channel
         * @return this builder
         */
        public Builder<T> eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = Objects.requireNonNull(group, "eventLoopGroup");
            return this;
        }

        /**
         * Sets the number of I/O threads of the client's own event-loop group. Default: 1, which serves many
         * connections; more only pay off with several busy connections.
         *
         * @param threads 1 to 256
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder<T> ioThreads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("ioThreads must be in 1..256, was " + threads);
            }
            this.ioThreads = threads;
            this.ioThreadsSet = true;
            return this;
        }

        /**
         * Names the client in thread names ({@code <name>-io-<n>}) and connection ids ({@code <name>#<n>}).
         * Default: {@code "tether"}.
         *
         * @param name 1 to 64 characters from {@code A-Z a-z 0-9 . _ -}
         * @return this builder
         * @throws IllegalArgumentException if the name is empty, too long, or has other characters
         */
        public Builder<T> name(String name) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "name must be 1 to 64 characters from A-Z a-z 0-9 . _ -, was \"" + name + "\"");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets how many messages may wait for {@link Connection#receive(Duration)} and {@link Connection#messages()};
         * when the inbox holds this many, the client stops reading the socket until it is half empty. The bound in
         * bytes stays as it is. Unused when a handler is set. Default: 16,384.
         *
         * @param capacity 1 to 1,048,576 messages
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder<T> inboxCapacity(int capacity) {
            return inboxCapacity(capacity, inboxCapacityBytes);
        }

        /**
         * Bounds the inbox behind {@link Connection#receive(Duration)} and {@link Connection#messages()} both in
         * messages and in bytes: when it holds {@code messages} messages or {@code bytes} bytes, whichever comes
         * first, the client stops reading the socket until it is under half of both. A {@code byte[]} counts its
         * length, a {@code String} its length in chars. Frames already read when reading pauses are still
         * delivered, so the inbox can pass either bound by one socket read (up to 256 KiB). Unused when a handler
         * is set. Defaults: 16,384 messages, 16 MiB: two full socket reads of 64-byte lines, so the I/O thread can read
         * the next while the receiver takes the last.
         *
         * @param messages 1 to 1,048,576 messages
         * @param bytes 1 or more bytes
         * @return this builder
         * @throws IllegalArgumentException if either is out of range
         */
        public Builder<T> inboxCapacity(int messages, long bytes) {
            if (messages < 1 || messages > 1 << 20) {
                throw new IllegalArgumentException("inboxCapacity must be in 1..1048576 messages, was " + messages);
            }
            if (bytes < 1) {
                throw new IllegalArgumentException("inboxCapacity bytes must be >= 1, was " + bytes);
            }
            this.inboxCapacity = messages;
            this.inboxCapacityBytes = bytes;
            return this;
        }

        /**
         * Sets how long closing may take: flushing and closing channels, and shutting down the client's own
         * threads. Default: 5 seconds.
         *
         * @param timeout more than zero, at most {@link Integer#MAX_VALUE} milliseconds
         * @return this builder
         * @throws IllegalArgumentException if the timeout is zero, negative or too large
         */
        public Builder<T> closeTimeout(Duration timeout) {
            this.closeTimeout = positiveMillis("closeTimeout", timeout);
            return this;
        }

        /**
         * Sets when to reconnect after a failed attempt or a lost connection. Default:
         * {@code ReconnectPolicy.exponential(100 ms, 30 s)} with full jitter and no limit on attempts;
         * {@link ReconnectPolicy#never()} makes a lost connection final.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder<T> reconnect(ReconnectPolicy policy) {
            this.reconnect = Objects.requireNonNull(policy, "reconnect");
            return this;
        }

        /**
         * Sets whether a failed first connect is retried under the reconnect policy. Default: {@code false}, the
         * first {@link TetherClient#connect()} fails fast so a wrong address is reported at once; with
         * {@code true} its future completes when an attempt succeeds, or fails when the policy gives up.
         *
         * @param retry {@code true} to keep trying the first connect
         * @return this builder
         */
        public Builder<T> retryInitialConnect(boolean retry) {
            this.retryInitialConnect = retry;
            return this;
        }

        /**
         * Sets the read timeout, heartbeat and frame timeout. Default: {@link IdlePolicy#disabled()}.
         *
         * @param policy the idle policy
         * @return this builder
         */
        public Builder<T> idle(IdlePolicy policy) {
            this.idle = Objects.requireNonNull(policy, "idle");
            return this;
        }

        /**
         * Sets TCP keepalive. Default: {@code KeepAlive.of(15 s, 5 s, 3)}, so a vanished peer is detected within
         * 30 seconds.
         *
         * @param keepAlive the keepalive settings, or {@link KeepAlive#disabled()}
         * @return this builder
         */
        public Builder<T> keepAlive(KeepAlive keepAlive) {
            this.keepAlive = Objects.requireNonNull(keepAlive, "keepAlive");
            return this;
        }

        /**
         * Sets the transport of the client's own event-loop group. Default: {@link Transport#AUTO}, native epoll
         * where available, else NIO. With a caller's group, the transport follows that group and this must stay
         * {@code AUTO}.
         *
         * @param transport the transport
         * @return this builder
         */
        public Builder<T> transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * Sets what happens to sends while the connection is down. Default:
         * {@code SendBuffer.bounded(10000, 8 MiB)}: held and written in order after the reconnect.
         *
         * @param sendBuffer the policy, or {@link SendBuffer#none()} to reject such sends at once
         * @return this builder
         */
        public Builder<T> sendBuffer(SendBuffer sendBuffer) {
            this.sendBuffer = Objects.requireNonNull(sendBuffer, "sendBuffer");
            return this;
        }

        /**
         * Sets a hook that runs after every successful connect and reconnect, before anything else is written: to
         * log in or resubscribe. Its own sends go first; sends made meanwhile by other code, and sends buffered
         * during an outage, follow once the returned stage completes. If the stage fails, or has not completed within
         * the {@linkplain #connectTimeout(Duration) connect timeout}, the connection is closed with that cause and the
         * reconnect policy decides what follows. Called on the I/O thread; must not block. Default: none.
         *
         * <pre>{@code
         * .onConnect(connection -> connection.send("LOGIN alice"))
         * }</pre>
         *
         * @param hook makes the stage to wait for; or {@code null} for none
         * @return this builder
         */
        public Builder<T> onConnect(Function<? super Connection<T>, ? extends CompletionStage<?>> hook) {
            this.onConnect = hook;
            return this;
        }

        /**
         * Checks the settings together and makes the config; opens nothing.
         *
         * @return the immutable config
         * @throws IllegalStateException if no remote address was set, or an event-loop group was set together with
         *     ioThreads or a transport
         */
        public ClientConfig<T> build() {
            if (remoteAddresses.isEmpty()) {
                throw new IllegalStateException("remoteAddress is required: call remoteAddress(host, port)");
            }
            if (handler != null && batchHandler != null) {
                throw new IllegalStateException(
                        "handler and batchHandler are both set: messages go to one of them; remove one");
            }
            if (eventLoopGroup != null && ioThreadsSet) {
                throw new IllegalStateException("ioThreads (" + ioThreads + ") applies only to the client's own group; "
                        + "remove it or the eventLoopGroup");
            }
            if (eventLoopGroup != null && transport != Transport.AUTO) {
                throw new IllegalStateException("transport (" + transport
                        + ") applies only to the client's own group; a caller's eventLoopGroup brings its own");
            }
            return new ClientConfig<>(this);
        }

        private static Duration positiveMillis(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0, was " + value);
            }
            if (value.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException(name + " must be <= " + Integer.MAX_VALUE + " ms, was " + value);
            }
            return value;
        }
    }
}
