/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import dev.tether.ClientConfig;
import dev.tether.codec.Codec;
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
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
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
 * A Flink source that reads TCP servers through Tether clients: each endpoint is one split, and the splits are
 * spread over the source's parallel readers.
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
 * <p>Each split emits through its own split output, so a {@code WatermarkStrategy} with a timestamp assigner makes
 * watermarks per endpoint, and the reader's watermark is the slowest endpoint's.
 *
 * <p>A plain TCP stream cannot be replayed: across a failure (a restore, a reconnect) the source gets what the server
 * sends on the new connection. A live feed that sends from now on loses what was in flight (at most once); a server
 * that starts its data over sends it again. A {@linkplain Builder#resume resumable} source records each endpoint's
 * position in its checkpoints and sends a line built from it on every connect, so a server that can replay from a
 * position makes it at least once, or exactly once where the position is exact.
 *
 * @param <T> the type of the records the source emits
 * @since 0.1
 */
public final class TetherSource<T> implements Source<T, EndpointSplit, EnumeratorCheckpoint>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 2L;

    private final List<Endpoint> endpoints;
    private final ReaderSettings<?, T> settings;
    private final TypeInformation<T> producedType;
    private final SerializableSupplier<Collection<Endpoint>> discovery; // null: none
    private final Duration discoveryInterval; // null: none

    private TetherSource(Builder<?, T> b) {
        this.endpoints = List.copyOf(b.endpoints);
        this.settings = b.settings();
        this.producedType = b.producedType;
        this.discovery = b.discovery;
        this.discoveryInterval = b.discoveryInterval;
    }

    /**
     * Starts a builder for a source of text frames (lines, by default, in UTF-8), emitted as they arrive; {@link
     * Builder#deserializer} changes the type.
     *
     * @return a new builder
     */
    public static Builder<String, String> builder() {
        return new Builder<>(ClientConfig::builder, RecordDecoder.identity(), Types.STRING);
    }

    /**
     * Starts a builder for a source of binary frames, emitted as byte arrays; its config template must use {@link
     * Codec#bytes()}, as the default one does. For a {@link DeserializationSchema}, or length-prefixed binary
     * messages.
     *
     * @return a new builder
     */
    public static Builder<byte[], byte[]> bytesBuilder() {
        return new Builder<>(
                TetherSource::bytesTemplate,
                RecordDecoder.identity(),
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    private static ClientConfig.Builder<byte[]> bytesTemplate() {
        return ClientConfig.builder(Codec.bytes());
    }

    /**
     * Returns {@link Boundedness#BOUNDED} in bounded mode, else {@link Boundedness#CONTINUOUS_UNBOUNDED}.
     *
     * @return the boundedness
     */
    @Override
    public Boundedness getBoundedness() {
        return settings.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
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
        boolean bounded = settings.bounded();
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
        return new TetherSourceReader<>(context, settings);
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return producedType;
    }

    @Override
    public String toString() {
        return "TetherSource{endpoints=" + endpoints + ", bounded=" + settings.bounded() + ", handoverCapacity="
                + settings.window() + (settings.position() == null ? "" : ", resumable")
                + (discovery == null ? "" : ", discoveryInterval=" + discoveryInterval) + ", type=" + producedType
                + "}";
    }

    /**
     * Collects the settings of a {@link TetherSource}; not thread-safe.
     *
     * <p>Setters throw {@link NullPointerException} for a null argument and {@link IllegalArgumentException},
     * naming the setting, for a value out of range.
     *
     * @param <F> the type of the frames, as the config template's codec makes them: {@code String} or {@code byte[]}
     * @param <T> the type of the records the source will emit
     * @since 0.1
     */
    public static final class Builder<F, T> {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private SerializableSupplier<ClientConfig.Builder<F>> config;
        private final RecordDecoder<F, T> decoder;
        private final TypeInformation<T> producedType;
        private boolean bounded = false;
        private int handoverCapacity = 256;
        private SerializableSupplier<Collection<Endpoint>> discovery = null;
        private Duration discoveryInterval = null;
        private SerializableFunction<F, String> position = null;
        private ResumeLine resumeLine = null;

        private Builder(
                SerializableSupplier<ClientConfig.Builder<F>> config,
                RecordDecoder<F, T> decoder,
                TypeInformation<T> producedType) {
            this.config = config;
            this.decoder = decoder;
            this.producedType = producedType;
        }

        /** Returns a builder with this one's settings but another decoder and type. */
        private <U> Builder<F, U> with(RecordDecoder<F, U> decoder, TypeInformation<U> type) {
            Builder<F, U> next = new Builder<>(config, decoder, type);
            next.endpoints.addAll(endpoints);
            next.bounded = bounded;
            next.handoverCapacity = handoverCapacity;
            next.discovery = discovery;
            next.discoveryInterval = discoveryInterval;
            next.position = position;
            next.resumeLine = resumeLine;
            return next;
        }

        private ReaderSettings<F, T> settings() {
            return new ReaderSettings<>(config, decoder, bounded, handoverCapacity, position, resumeLine);
        }

        /**
         * Adds an endpoint given as {@code host:port} ({@code [v6 address]:port} for IPv6).
         *
         * @param hostAndPort the endpoint
         * @return this builder
         * @throws IllegalArgumentException if it is not {@code host:port} or the port is out of range
         */
        public Builder<F, T> endpoint(String hostAndPort) {
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
        public Builder<F, T> endpoint(String hostAndPort, String onConnect) {
            return endpoint(Endpoint.of(hostAndPort).withOnConnect(onConnect));
        }

        /**
         * Adds an endpoint given as a socket address.
         *
         * @param address the address
         * @return this builder
         * @throws IllegalArgumentException if its port is 0
         */
        public Builder<F, T> endpoint(InetSocketAddress address) {
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
        public Builder<F, T> endpoint(InetSocketAddress address, String onConnect) {
            return endpoint(Endpoint.of(address).withOnConnect(onConnect));
        }

        /**
         * Adds an endpoint. Its position in the order of adding is its split's index.
         *
         * @param endpoint the endpoint
         * @return this builder
         * @throws IllegalArgumentException if an equal endpoint (same host, port and line) was added already
         */
        public Builder<F, T> endpoint(Endpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (endpoints.contains(endpoint)) {
                throw new IllegalArgumentException("endpoint " + endpoint + " was added twice");
            }
            endpoints.add(endpoint);
            return this;
        }

        /**
         * Sets the template each reader makes its clients' settings from: framing, codec, TLS, idle detection and
         * heartbeats, reconnect, inbox size. The reader sets the remote address, its own event-loop group and, unless
         * the template sets an executor other than the common pool, its publisher executor. The reader's one I/O thread runs on the
         * template's {@linkplain ClientConfig.Builder#eventLoops transport} ({@code AUTO}: epoll where it loads, else
         * NIO); a shared group the template sets is not used. It must not set a handler or batch handler.
         * Default: {@code ClientConfig::builder} (lines of up to the client's default length, UTF-8) for {@link
         * #builder()}, the same with {@link Codec#bytes()} for {@link #bytesBuilder()}.
         *
         * <p>On-connect lines (the endpoints' own, and a {@linkplain #resume resume} line) are sent after the
         * template's own on-connect hook, if it has one (a login, say); with a bytes codec, in UTF-8.
         *
         * @param template makes a fresh builder on each call; serializable, as it travels to the task managers
         * @return this builder
         */
        public Builder<F, T> config(SerializableSupplier<ClientConfig.Builder<F>> template) {
            this.config = Objects.requireNonNull(template, "config");
            return this;
        }

        /**
         * Sets how each frame becomes a record, and the records' type. Runs on the task thread; an exception it throws
         * fails the task. Default: the frame itself.
         *
         * @param deserializer turns one frame (a line without its delimiter, say) into one record, never null;
         *     serializable; {@link #deserializerWithEndpoint} also gets the endpoint
         * @param type the records' type information, for example {@code Types.INT}
         * @param <U> the record type
         * @return a builder for a source of {@code U}, with this builder's other settings
         */
        public <U> Builder<F, U> deserializer(SerializableFunction<F, U> deserializer, TypeInformation<U> type) {
            return with(
                    RecordDecoder.of(Objects.requireNonNull(deserializer, "deserializer")),
                    Objects.requireNonNull(type, "type"));
        }

        /**
         * Sets how each frame becomes a record, knowing the endpoint it came from, and the records' type: for a job
         * that needs each record's endpoint while one source reads many. Runs on the task thread; an exception it
         * throws fails the task.
         *
         * @param deserializer turns one frame of one endpoint into one record, never null; serializable
         * @param type the records' type information
         * @param <U> the record type
         * @return a builder for a source of {@code U}, with this builder's other settings
         */
        public <U> Builder<F, U> deserializerWithEndpoint(
                EndpointDeserializer<F, U> deserializer, TypeInformation<U> type) {
            return with(
                    RecordDecoder.of(Objects.requireNonNull(deserializer, "deserializer")),
                    Objects.requireNonNull(type, "type"));
        }

        /**
         * Sets a Flink {@code DeserializationSchema} to turn each frame's bytes into records: none, one or several
         * per frame, as it collects them; the type is its produced type. The reader opens it before the first frame,
         * with a {@code deserializer} group in the reader's metric group. A record for which it says {@code
         * isEndOfStream} ends its endpoint's split, cleanly: that record and the rest of the frame's are not emitted,
         * and the connection is closed. It gets a binary frame's bytes as they arrived; a text frame's encoded in the
         * codec's charset (so a lenient codec's replacement characters stay replaced: use {@link #bytesBuilder()}
         * for binary data). Runs on the task thread; an exception it throws fails the task.
         *
         * @param schema the schema; serializable, as it travels with the source
         * @param <U> the record type
         * @return a builder for a source of {@code U}, with this builder's other settings
         */
        public <U> Builder<F, U> deserializer(DeserializationSchema<U> schema) {
            Objects.requireNonNull(schema, "schema");
            return with(RecordDecoder.of(schema), Objects.requireNonNull(schema.getProducedType(), "produced type"));
        }

        /**
         * Makes the source bounded: it ends once every endpoint's server has closed its connection cleanly and every
         * record was emitted. A connection that breaks (reset, I/O error, idle timeout) is ridden out by the template's
         * reconnect policy (by default: reconnect, forever), and fails the task only when the policy gives up, or is
         * {@code ReconnectPolicy.disabled()}; a resumable source resumes where it was. A clean close before the
         * connection's on-connect hook finished (a server refusing a subscription, say) counts as broken, not as the
         * end. Default: false, the source runs until cancelled, and the reconnect policy rides out a clean close too
         * (with reconnect disabled, an endpoint that closes cleanly is finished and the others go on).
         *
         * @param bounded whether the source ends
         * @return this builder
         */
        public Builder<F, T> bounded(boolean bounded) {
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
        public Builder<F, T> handoverCapacity(int messages) {
            if (messages < 2 || messages > 65536) {
                throw new IllegalArgumentException("handoverCapacity must be 2 to 65536, was " + messages);
            }
            this.handoverCapacity = messages;
            return this;
        }

        /**
         * Makes the source resumable, for servers that can replay from a position (a sequence number, an offset): the
         * reader reads each frame's position as it arrives, and on every connect sends the line {@code line} builds
         * from the endpoint and the position of the last frame received (null before any), instead of the endpoint's
         * own on-connect line (which {@code line} can read from the endpoint). A checkpoint records, per endpoint, the
         * position of the last frame emitted before it, and a restored reader's first connect resumes from there.
         *
         * <p>So a reconnect asks for what follows the last frame the connection received (the frames received before
         * it are still emitted), and a restore what follows the last frame Flink checkpointed: with a server that
         * replays exactly from the position, no frame is lost or repeated in either case. Frames whose position is
         * null leave it as it was.
         *
         * @param position reads a frame's position, or returns null for a frame that has none; called twice per frame
         *     (on the I/O thread as it arrives, and on the task thread as it is emitted), so it should be cheap;
         *     serializable. An exception it throws fails the task, naming the endpoint.
         * @param line builds the line to send first on a connect, without its delimiter, or returns null to send
         *     none; called on the I/O thread; serializable
         * @return this builder
         */
        public Builder<F, T> resume(SerializableFunction<F, String> position, ResumeLine line) {
            this.position = Objects.requireNonNull(position, "position");
            this.resumeLine = Objects.requireNonNull(line, "line");
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
        public Builder<F, T> discovery(SerializableSupplier<Collection<Endpoint>> discover, Duration interval) {
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
            ClientConfig.Builder<F> sample = config.get();
            if (sample == null) {
                throw new IllegalStateException("the config template returned null instead of a ClientConfig.Builder");
            }
            // without a configured endpoint, any valid address will do: the build opens nothing
            Endpoint first = endpoints.isEmpty() ? Endpoint.of("127.0.0.1", 1) : endpoints.get(0);
            ClientConfig<F> tried =
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
                                + " (the config template, the deserializer and the resume functions must be serializable lambdas or classes)",
                        e);
            }
        }
    }
}
