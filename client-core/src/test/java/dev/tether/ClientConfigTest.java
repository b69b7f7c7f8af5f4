/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ClientConfigTest {
    private static ClientConfig.Builder<String> base() {
        return ClientConfig.builder().remoteAddress("127.0.0.1", 9000);
    }

    private static void rejects(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void hasDocumentedDefaults() {
        ClientConfig<String> c = base().build();
        assertEquals("127.0.0.1", c.host());
        assertEquals(9000, c.port());
        assertEquals(Duration.ofSeconds(10), c.connectTimeout());
        assertEquals(Framing.lines(65536), c.framing());
        assertEquals(Codec.utf8(), c.codec());
        assertTrue(c.handler().isEmpty());
        assertEquals(ConnectionListener.NONE, c.listener());
        assertTrue(c.userHandlers().isEmpty());
        assertTrue(c.eventLoopGroup().isEmpty());
        assertEquals(1, c.ioThreads());
        assertEquals("tether", c.name());
        assertEquals(16384, c.inboxCapacity());
        assertEquals(16L << 20, c.inboxCapacityBytes());
        assertEquals(Duration.ofSeconds(5), c.closeTimeout());
    }

    @Test
    void rejectsBadValuesNamingTheSetting() {
        ClientConfig.Builder<String> b = ClientConfig.builder();
        rejects("remoteAddress host must not be blank", () -> b.remoteAddress(" ", 1));
        rejects("remoteAddress port must be in 1..65535, was 0", () -> b.remoteAddress("h", 0));
        rejects("remoteAddress port must be in 1..65535, was 65536", () -> b.remoteAddress("h", 65536));
        rejects(
                "remoteAddress port must be in 1..65535, was 0",
                () -> b.remoteAddress(new InetSocketAddress("127.0.0.1", 0)));
        rejects("connectTimeout must be > 0, was PT0S", () -> b.connectTimeout(Duration.ZERO));
        rejects("connectTimeout must be > 0, was PT-1S", () -> b.connectTimeout(Duration.ofSeconds(-1)));
        rejects(
                "connectTimeout must be <= 2147483647 ms, was PT596524H",
                () -> b.connectTimeout(Duration.ofHours(596524)));
        rejects("closeTimeout must be > 0, was PT0S", () -> b.closeTimeout(Duration.ZERO));
        rejects("ioThreads must be in 1..256, was 0", () -> b.ioThreads(0));
        rejects("inboxCapacity must be in 1..1048576 messages, was 0", () -> b.inboxCapacity(0));
        rejects("inboxCapacity must be in 1..1048576 messages, was 1048577", () -> b.inboxCapacity(1048577, 1));
        rejects("inboxCapacity bytes must be >= 1, was 0", () -> b.inboxCapacity(16, 0));
        rejects("name must be 1 to 64 characters from A-Z a-z 0-9 . _ -, was \"a b\"", () -> b.name("a b"));
        rejects("name must be 1 to 64 characters from A-Z a-z 0-9 . _ -, was \"\"", () -> b.name(""));
    }

    @Test
    void rejectsNullsNamingTheSetting() {
        ClientConfig.Builder<String> b = ClientConfig.builder();
        assertEquals(
                "host",
                assertThrows(NullPointerException.class, () -> b.remoteAddress(null, 1))
                        .getMessage());
        assertEquals(
                "connectTimeout",
                assertThrows(NullPointerException.class, () -> b.connectTimeout(null))
                        .getMessage());
        assertEquals(
                "framing",
                assertThrows(NullPointerException.class, () -> b.framing(null)).getMessage());
        assertEquals(
                "listener",
                assertThrows(NullPointerException.class, () -> b.listener(null)).getMessage());
        assertEquals(
                "codec",
                assertThrows(NullPointerException.class, () -> ClientConfig.builder(null))
                        .getMessage());
        assertThrows(NullPointerException.class, () -> b.addHandler(null));
        assertThrows(NullPointerException.class, () -> b.eventLoopGroup(null));
    }

    @Test
    void buildChecksRulesAcrossSettings() {
        assertEquals(
                "remoteAddress is required: call remoteAddress(host, port)",
                assertThrows(
                                IllegalStateException.class,
                                () -> ClientConfig.builder().build())
                        .getMessage());
        io.netty.channel.EventLoopGroup group =
                new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.nio.NioIoHandler.newFactory());
        try {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> base().eventLoopGroup(group).ioThreads(2).build());
            assertTrue(e.getMessage().startsWith("ioThreads (2) applies only to the client's own group"));
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                    .syncUninterruptibly();
        }
    }

    @Test
    void isAComparableValueAndToBuilderRoundTrips() {
        Supplier<ChannelHandler> extra = ChannelInboundHandlerAdapter::new;
        ClientConfig<String> a = base().addHandler(extra).name("feed").build();
        ClientConfig<String> b = base().addHandler(extra).name("feed").build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a, a.toBuilder().build());
        ClientConfig<String> c =
                a.toBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        assertNotEquals(a, c);
        assertEquals(Duration.ofSeconds(10), a.connectTimeout(), "the original is unchanged");
        assertThrows(UnsupportedOperationException.class, () -> a.userHandlers().add(extra));
    }

    @Test
    void printsReadably() {
        String s = ClientConfig.builder(Codec.bytes())
                .remoteAddress("::1", 7)
                .build()
                .toString();
        assertTrue(s.contains("remoteAddresses=[::1]:7"), s);
        assertTrue(s.contains("codec=bytes()"), s);
        assertTrue(s.contains("framing=lines(65536)"), s);
        assertFalse(s.contains("@"), "no identity hash codes: " + s);
    }
}
