/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tether.ClientConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.util.function.SerializableFunction;
import org.junit.jupiter.api.Test;

class TetherSourceTest {
    @Test
    void endpointsParse() {
        assertEquals(Endpoint.of("127.0.0.1", 9000), Endpoint.of("127.0.0.1:9000"));
        assertEquals(Endpoint.of("::1", 9000), Endpoint.of("[::1]:9000"));
        assertEquals(Endpoint.of("127.0.0.1", 9000), Endpoint.of(new InetSocketAddress("127.0.0.1", 9000)));
        assertEquals(
                "[::1]:9000 (with on-connect line)",
                Endpoint.of("[::1]:9000").withOnConnect("SECRET").toString());
    }

    @Test
    void badEndpointsAreRefusedWithTheInput() {
        assertEquals(
                "endpoint must be host:port, was \"localhost\"",
                assertThrows(IllegalArgumentException.class, () -> Endpoint.of("localhost"))
                        .getMessage());
        assertEquals(
                "endpoint port must be a number, was \"h:x\"",
                assertThrows(IllegalArgumentException.class, () -> Endpoint.of("h:x"))
                        .getMessage());
        assertEquals(
                "endpoint port must be 1 to 65535, was 0 (host h)",
                assertThrows(IllegalArgumentException.class, () -> Endpoint.of("h:0"))
                        .getMessage());
        assertEquals(
                "endpoint must be host:port with an IPv6 address in brackets, was \"::1:9000\"",
                assertThrows(IllegalArgumentException.class, () -> Endpoint.of("::1:9000"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Endpoint.of("h:1").withOnConnect(""));
    }

    @Test
    void discoveryMakesTheSourceUnboundedAndRefusesBounded() {
        TetherSource<String> source = TetherSource.builder()
                .discovery(() -> List.of(Endpoint.of("127.0.0.1:9000")), Duration.ofSeconds(10))
                .build();
        assertEquals(Boundedness.CONTINUOUS_UNBOUNDED, source.getBoundedness());
        assertEquals(
                "a bounded TetherSource cannot have discovery: it could never know that no endpoint is left to come;"
                        + " use bounded(false), or configure the endpoints instead of discovering them",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TetherSource.builder()
                                        .endpoint("127.0.0.1:9000")
                                        .discovery(List::of, Duration.ofSeconds(1))
                                        .bounded(true)
                                        .build())
                        .getMessage());
        assertEquals(
                "discovery interval must be >= 1ms, was PT0S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TetherSource.builder().discovery(List::of, Duration.ZERO))
                        .getMessage());
    }

    @Test
    void builderRefusesBadSettings() {
        assertEquals(
                "a TetherSource needs at least one endpoint, or discovery",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TetherSource.builder().build())
                        .getMessage());
        assertEquals(
                "endpoint 127.0.0.1:9000 was added twice",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TetherSource.builder()
                                        .endpoint("127.0.0.1:9000")
                                        .endpoint("127.0.0.1:9000"))
                        .getMessage());
        assertEquals(
                "handoverCapacity must be 2 to 65536, was 1",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TetherSource.builder().handoverCapacity(1))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> TetherSource.builder()
                        .endpoint("127.0.0.1:9000")
                        .config(() -> ClientConfig.builder().handler((connection, message) -> {}))
                        .build());
    }

    @Test
    void aDeserializerThatCannotTravelIsRefusedAtBuild() {
        Function<String, Integer> notSerializable = Integer::parseInt;
        Object lock = new Object();
        SerializableFunction<String, Integer> capturesLock = line -> {
            synchronized (lock) {
                return notSerializable.apply(line);
            }
        };
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TetherSource.builder()
                        .endpoint("127.0.0.1:9000")
                        .deserializer(capturesLock, Types.INT)
                        .build());
        assertEquals(true, e.getMessage().startsWith("TetherSource must be serializable"), e.getMessage());
    }

    @Test
    void boundednessFollowsTheSetting() {
        var builder = TetherSource.builder().endpoint("127.0.0.1:9000");
        assertEquals(Boundedness.CONTINUOUS_UNBOUNDED, builder.build().getBoundedness());
        assertEquals(Boundedness.BOUNDED, builder.bounded(true).build().getBoundedness());
        assertEquals(
                Types.INT,
                builder.deserializer(Integer::parseInt, Types.INT).build().getProducedType());
    }

    @Test
    void aSchemaSetsTheTypeAndABytesSourceEmitsByteArraysByDefault() {
        var schema = new SimpleStringSchema();
        assertEquals(
                Types.STRING,
                TetherSource.bytesBuilder()
                        .endpoint("127.0.0.1:9000")
                        .deserializer(schema)
                        .build()
                        .getProducedType());
        assertEquals(
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO,
                TetherSource.bytesBuilder().endpoint("127.0.0.1:9000").build().getProducedType());
    }

    @Test
    void resumeSettingsAreRequiredAndSurviveAChangeOfDeserializer() {
        var builder = TetherSource.builder().endpoint("127.0.0.1:9000");
        assertThrows(NullPointerException.class, () -> builder.resume(null, (endpoint, position) -> "START"));
        assertThrows(NullPointerException.class, () -> builder.resume(line -> line, null));
        assertThrows(NullPointerException.class, () -> builder.deserializerWithEndpoint(null, Types.STRING));
        assertThrows(
                NullPointerException.class, () -> builder.deserializerWithEndpoint((endpoint, line) -> line, null));
        assertThrows(NullPointerException.class, () -> builder.deserializer((DeserializationSchema<String>) null));
        TetherSource<Integer> source = builder.resume(line -> line, (endpoint, position) -> "FROM " + position)
                .deserializer(Integer::parseInt, Types.INT)
                .build();
        assertEquals(true, source.toString().contains("resumable"), source.toString());
    }

    @Test
    void aPositionFunctionThatCannotBeSerializedIsRefusedAtBuild() {
        Object lock = new Object();
        SerializableFunction<String, String> capturesLock = line -> {
            synchronized (lock) {
                return line;
            }
        };
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TetherSource.builder()
                        .endpoint("127.0.0.1:9000")
                        .resume(capturesLock, (endpoint, position) -> "START")
                        .build());
        assertEquals(true, e.getMessage().contains("resume functions"), e.getMessage());
    }
}
