/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import java.io.Serializable;
import java.nio.charset.Charset;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Turns a frame into records on the task thread: a function makes one record per frame; a {@link
 * DeserializationSchema} makes any number, and can end the stream.
 *
 * @param <F> the frame type: {@code String} or {@code byte[]}
 * @param <T> the record type
 */
abstract class RecordDecoder<F, T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The frames themselves. */
    static <F> RecordDecoder<F, F> identity() {
        return of(frame -> frame);
    }

    static <F, T> RecordDecoder<F, T> of(SerializableFunction<F, T> function) {
        return new Function<>((endpoint, frame) -> function.apply(frame));
    }

    static <F, T> RecordDecoder<F, T> of(EndpointDeserializer<F, T> function) {
        return new Function<>(function);
    }

    static <F, T> RecordDecoder<F, T> of(DeserializationSchema<T> schema) {
        return new Schema<>(schema);
    }

    /** Prepares for decoding; called once on the task thread before the first frame. */
    void open(SourceReaderContext context) throws Exception {}

    /**
     * Emits the records of {@code frame}.
     *
     * @param frame a {@code String} or a {@code byte[]}
     * @param endpoint the endpoint the frame came from
     * @param charset a text frame's charset, for decoders that want its bytes; null for binary frames
     * @param out where the records go
     * @return false if the frame marked the end of the stream
     * @throws Exception as the user's function or schema throws it
     */
    abstract boolean decode(F frame, Endpoint endpoint, Charset charset, SourceOutput<T> out) throws Exception;

    private static final class Function<F, T> extends RecordDecoder<F, T> {
        private static final long serialVersionUID = 1L;
        private final EndpointDeserializer<F, T> function;

        Function(EndpointDeserializer<F, T> function) {
            this.function = function;
        }

        @Override
        boolean decode(F frame, Endpoint endpoint, Charset charset, SourceOutput<T> out) {
            T record = function.deserialize(endpoint, frame);
            if (record == null) {
                throw new NullPointerException("the deserializer returned null for a frame of endpoint " + endpoint
                        + "; it must return a record");
            }
            out.collect(record);
            return true;
        }
    }

    private static final class Schema<F, T> extends RecordDecoder<F, T> implements Collector<T> {
        private static final long serialVersionUID = 1L;
        private final DeserializationSchema<T> schema;
        private transient SourceOutput<T> out; // the frame's split's output, while it is decoded
        private transient boolean ended;

        Schema(DeserializationSchema<T> schema) {
            this.schema = schema;
        }

        @Override
        void open(SourceReaderContext context) throws Exception {
            MetricGroup group = context.metricGroup().addGroup("deserializer");
            schema.open(new DeserializationSchema.InitializationContext() {
                @Override
                public MetricGroup getMetricGroup() {
                    return group;
                }

                @Override
                public UserCodeClassLoader getUserCodeClassLoader() {
                    return context.getUserCodeClassLoader();
                }
            });
        }

        @Override
        boolean decode(F frame, Endpoint endpoint, Charset charset, SourceOutput<T> out) throws Exception {
            byte[] bytes = frame instanceof byte[] b ? b : ((String) frame).getBytes(charset);
            this.out = out;
            ended = false;
            try {
                schema.deserialize(bytes, this);
            } finally {
                this.out = null;
            }
            return !ended;
        }

        @Override
        public void collect(T record) {
            if (ended) {
                return;
            }
            if (schema.isEndOfStream(record)) {
                ended = true;
            } else {
                out.collect(record);
            }
        }

        @Override
        public void close() {}
    }
}
