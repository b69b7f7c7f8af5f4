/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import dev.tether.ClientConfig;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * A Flink source that reads lines from TCP servers through Tether clients: each endpoint is one split, and the
 * splits are spread over the source's parallel readers.
 *
 * <pre>{@code
 * TetherSource<Integer> source = TetherSource.builder()
 *         .endpoint("127.0.0.1:9000", "SUBSCRIBE prices")
 *         .endpoint("127.0.0.1:9001")
 *         .config(() -> ClientConfig.builder().framing(Framing.lines(8 * 1024)))
 *         .deserializer(Integer::parseInt, Types.INT)
 *         .bounded(true)
 *         .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "prices");
 * }</pre>
 *
 * <p>Each reader runs one Tether client per endpoint, made from the config template with the endpoint's address,
 * sharing one I/O thread. Backpressure is Flink's: a reader takes no more than {@linkplain
 * Builder#handoverCapacity(int) a small window} of messages per endpoint ahead of Flink, so when Flink stops
 * polling, Tether's inbox fills and it stops reading the socket.
 *
 * <p>Delivery is at most once across a failure: a checkpoint records which endpoints a reader holds, not how far it
 * read, and after a restore each endpoint is read from a fresh connection.
 *
 * @param <T> the type of the records the source emits
 * @since 0.1
 */
public final class TetherSource<T> implements Source<T, EndpointSplit, EnumeratorCheckpoint>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final List<Endpoint> endpoints;
    private final SerializableSupplier<ClientConfig.Builder<String>> config;
    private final SerializableFunction<String, T> deserializer;
    private final TypeInformation<T> producedType;
    private final boolean bounded;
    private final int handoverCapacity;
    private final SerializableSupplier<Collection<Endpoint>> discovery; // null: none
    private final Duration discoveryInterval; // null: none

    private TetherSource(Builder<T> b) {
        this.endpoints = List.copyOf(b.endpoints);
        this.config = b.config;
        this.deserializer = b.deserializer;
        this.producedType = b.producedType;
        this.bounded = b.bounded;
        this.handoverCapacity = b.handoverCapacity;
        this.discovery = b.discovery;
        this.discoveryInterval = b.discoveryInterval;
    }

    /**
     * Starts a builder for a source of the lines as they arrive; {@link Builder#deserializer} changes the type.
     *
     * @return a new builder
     */
    public static Builder<String> builder() {
        return new Builder<>(s -> s, Types.STRING);
    }

    /**
     * Returns {@link Boundedness#BOUNDED} in bounded mode, else {@link Boundedness#CONTINUOUS_UNBOUNDED}.
     *
     * @return the boundedness
     */
    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SplitEnumerator<EndpointSplit, EnumeratorCheckpoint> createEnumerator(
            SplitEnumeratorContext<EndpointSplit> context) {
        List<EndpointSplit> splits = new ArrayList<>(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            splits.add(new EndpointSplit(i, endpoints.get(i)));
        }
        Set<String> known = new HashSet<>();
        endpoints.forEach(e -> known.add(e.address()));
        return enumerator(context, new EnumeratorCheckpoint(splits, known, endpoints.size()));
    }

    @Override
    public SplitEnumerator<EndpointSplit, EnumeratorCheckpoint> restoreEnumerator(
            SplitEnumeratorContext<EndpointSplit> context, EnumeratorCheckpoint checkpoint) {
        // a checkpoint of version 1 knows no endpoints: the configured ones are known anyway, and keep their indices
        Set<String> known = new HashSet<>(checkpoint.known());
        endpoints.forEach(e -> known.add(e.address()));
        int nextIndex = Math.max(checkpoint.nextIndex(), endpoints.size());
        return enumerator(context, new EnumeratorCheckpoint(checkpoint.unassigned(), known, nextIndex));
    }

    private TetherSplitEnumerator enumerator(
            SplitEnumeratorContext<EndpointSplit> context, EnumeratorCheckpoint state) {
        return discovery == null
                ? new TetherSplitEnumerator(context, bounded, state, null, 0)
                : new TetherSplitEnumerator(context, bounded, state, discovery, discoveryInterval.toMillis());
    }

    @Override
    public SimpleVersionedSerializer<EndpointSplit> getSplitSerializer() {
        return EndpointSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<EnumeratorCheckpoint> getEnumeratorCheckpointSerializer() {
        return EnumeratorCheckpointSerializer.INSTANCE;
    }

    @Override
    public SourceReader<T, EndpointSplit> createReader(SourceReaderContext context) {
        return new TetherSourceReader<>(context, config, deserializer, bounded, handoverCapacity);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return producedType;
    }

    @Override
    public String toString() {
        return "TetherSource{endpoints=" + endpoints + ", bounded=" + bounded + ", handoverCapacity=" + handoverCapacity
                + (discovery == null ? "" : ", discoveryInterval=" + discoveryInterval) + ", type=" + producedType
                + "}";
    }

    /**
     * Collects the settings of a {@link TetherSource}; not thread-safe.
     *
     * <p>Setters throw {@link NullPointerException} for a null argument and {@link IllegalArgumentException},
     * naming the setting, for a value out of range.
     *
     * @param <T> the type of the records the source will emit
     * @since 0.1
     */
    public static final class Builder<T> {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private SerializableSupplier<ClientConfig.Builder<String>> config = ClientConfig::builder;
        private final SerializableFunction<String, T> deserializer;
        private final TypeInformation<T> producedType;
        private boolean bounded = false;
        private int handoverCapacity = 256;
        private SerializableSupplier<Collection<Endpoint>> discovery = null;
        private Duration discoveryInterval = null;

        private Builder(SerializableFunction<String, T> deserializer, TypeInformation<T> producedType) {
            this.deserializer = deserializer;
            this.producedType = producedType;
        }

        /**
         * Adds an endpoint given as {@code host:port} ({@code [v6 address]:port} for IPv6).
         *
         * @param hostAndPort the endpoint
         * @return this builder
         * @throws IllegalArgumentException if it is not {@code host:port} or the port is out of range
         */
        public Builder<T> endpoint(String hostAndPort) {
            return endpoint(Endpoint.of(hostAndPort));
        }

        /**
         * Adds an endpoint given as {@code host:port}, with a line sent first on every connect.
         *
         * @param hostAndPort the endpoint
         * @param onConnect the line, without its delimiter; not empty
         * @return this builder
         * @throws IllegalArgumentException if the endpoint is malformed or the line empty
         */
        public Builder<T> endpoint(String hostAndPort, String onConnect) {
            return endpoint(Endpoint.of(hostAndPort).withOnConnect(onConnect));
        }

        /**
         * Adds an endpoint given as a socket address.
         *
         * @param address the address
         * @return this builder
         * @throws IllegalArgumentException if its port is 0
         */
        public Builder<T> endpoint(InetSocketAddress address) {
            return endpoint(Endpoint.of(address));
        }

        /**
         * Adds an endpoint given as a socket address, with a line sent first on every connect.
         *
         * @param address the address
         * @param onConnect the line, without its delimiter; not empty
         * @return this builder
         * @throws IllegalArgumentException if its port is 0 or the line empty
         */
        public Builder<T> endpoint(InetSocketAddress address, String onConnect) {
            return endpoint(Endpoint.of(address).withOnConnect(onConnect));
        }

        /**
         * Adds an endpoint. Its position in the order of adding is its split's index.
         *
         * @param endpoint the endpoint
         * @return this builder
         * @throws IllegalArgumentException if an equal endpoint (same host, port and line) was added already
         */
        public Builder<T> endpoint(Endpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (endpoints.contains(endpoint)) {
                throw new IllegalArgumentException("endpoint " + endpoint + " was added twice");
            }
            endpoints.add(endpoint);
            return this;
        }

        /**
         * Sets the template each reader makes its clients' settings from: framing, charset, TLS, idle detection and
         * heartbeats, reconnect, inbox size. The reader sets the remote address, its own event-loop group and, unless
         * the template sets an executor, its own publisher executor; in bounded mode it turns reconnect off, so that a
         * clean close ends the endpoint. It must not set a handler or batch handler. Default:
         * {@code ClientConfig::builder}, lines of up to the client's default length.
         *
         * @param template makes a fresh builder on each call; serializable, as it travels to the task managers
         * @return this builder
         */
        public Builder<T> config(SerializableSupplier<ClientConfig.Builder<String>> template) {
            this.config = Objects.requireNonNull(template, "config");
            return this;
        }

        /**
         * Sets how each line becomes a record, and the records' type. Runs on the task thread; an exception it throws
         * fails the task. Default: the line itself, as {@code Types.STRING}.
         *
         * @param deserializer turns one line (without its delimiter) into one record, never null; serializable
         * @param type the records' type information, for example {@code Types.INT}
         * @param <U> the record type
         * @return a builder for a source of {@code U}, with this builder's other settings
         */
        public <U> Builder<U> deserializer(SerializableFunction<String, U> deserializer, TypeInformation<U> type) {
            Builder<U> next = new Builder<>(
                    Objects.requireNonNull(deserializer, "deserializer"), Objects.requireNonNull(type, "type"));
            next.endpoints.addAll(endpoints);
            next.config = config;
            next.bounded = bounded;
            next.handoverCapacity = handoverCapacity;
            next.discovery = discovery;
            next.discoveryInterval = discoveryInterval;
            return next;
        }

        /**
         * Makes the source bounded: it ends once every endpoint's server has closed its connection cleanly and every
         * line read was emitted. A connection that breaks (reset, I/O error) fails the task instead. Default: false,
         * the source runs until cancelled.
         *
         * @param bounded whether the source ends
         * @return this builder
         */
        public Builder<T> bounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        /**
         * Sets how many messages per endpoint a reader takes ahead of Flink: a small window that keeps Flink fed
         * while it batches the handover. Beyond it, messages wait in the connection's inbox, then in the socket.
         * Default: 256.
         *
         * @param messages 2 to 65,536
         * @return this builder
         */
        public Builder<T> handoverCapacity(int messages) {
            if (messages < 2 || messages > 65536) {
                throw new IllegalArgumentException("handoverCapacity must be 2 to 65536, was " + messages);
            }
            this.handoverCapacity = messages;
            return this;
        }

        /**
         * Adds endpoints found at runtime: the enumerator calls {@code discover} at once and then every {@code
         * interval}, on a Flink worker thread, and makes a split for each endpoint whose {@code host:port} it has not
         * seen (configured endpoints included), with the next free index, so the {@code index % parallelism} rule
         * spreads them round-robin over the readers. The set of {@code host:port} seen is in the enumerator's
         * checkpoint, so an endpoint is added once per job, across restores. An endpoint that disappears from the
         * result stays: its reader keeps reading (and, with the template's reconnect policy, reconnecting to) it. A
         * call that throws, or returns null, is logged as a warning and tried again after the interval; it does not
         * fail the job. With discovery the source is unbounded, and needs no configured endpoint. Default: none.
         *
         * @param discover returns every endpoint there is now, or at least the new ones; serializable, as it travels
         *     with the source; it may block, but not beyond the interval
         * @param interval the time between calls; at least 1 ms
         * @return this builder
         * @throws IllegalArgumentException if the interval is shorter than 1 ms
         */
        public Builder<T> discovery(SerializableSupplier<Collection<Endpoint>> discover, Duration interval) {
            Objects.requireNonNull(discover, "discovery");
            Objects.requireNonNull(interval, "discovery interval");
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("discovery interval must be >= 1ms, was " + interval);
            }
            this.discovery = discover;
            this.discoveryInterval = interval;
            return this;
        }

        /**
         * Builds the source, after trying the template once and checking that the source can be serialized.
         *
         * @return the source
         * @throws IllegalArgumentException if no endpoint was added and there is no discovery, the source is bounded
         *     and has discovery, the template sets a handler, or a setting is not serializable
         * @throws IllegalStateException if the template returned null
         */
        public TetherSource<T> build() {
            if (discovery != null && bounded) {
                throw new IllegalArgumentException(
                        "a bounded TetherSource cannot have discovery: it could never know that no endpoint is left to"
                                + " come; use bounded(false), or configure the endpoints instead of discovering them");
            }
            if (endpoints.isEmpty() && discovery == null) {
                throw new IllegalArgumentException("a TetherSource needs at least one endpoint, or discovery");
            }
            ClientConfig.Builder<String> sample = config.get();
            if (sample == null) {
                throw new IllegalStateException("the config template returned null instead of a ClientConfig.Builder");
            }
            // without a configured endpoint, any valid address will do: the build opens nothing
            Endpoint first = endpoints.isEmpty() ? Endpoint.of("127.0.0.1", 1) : endpoints.get(0);
            ClientConfig<String> tried =
                    sample.remoteAddress(first.host(), first.port()).build();
            if (tried.handler().isPresent() || tried.batchHandler().isPresent()) {
                throw new IllegalArgumentException(
                        "the config template must not set a handler or batchHandler: the source takes the messages");
            }
            TetherSource<T> source = new TetherSource<>(this);
            checkSerializable(source);
            return source;
        }

        private static void checkSerializable(TetherSource<?> source) {
            try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
                out.writeObject(source);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "TetherSource must be serializable to reach the task managers, but: " + e
                                + " (the config template and the deserializer must be serializable lambdas or classes)",
                        e);
            }
        }
    }
}
