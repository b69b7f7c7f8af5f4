/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether;

import static dev.tether.Transport.EPOLL;
import static dev.tether.Transport.NIO;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.codec.Codec;
import dev.tether.codec.Framing;
import dev.tether.idle.IdlePolicy;
import dev.tether.proxy.Proxy;
import dev.tether.reconnect.ReconnectPolicy;
import dev.tether.tls.Tls;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ClientConfigTest {
    private static EventLoopGroup group; // never runs a task: only its identity and transport matter here

    @BeforeAll
    static void createGroup() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void shutDownGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static ClientConfig.Builder<String> base() {
        return ClientConfig.builder().remoteAddress("127.0.0.1", 9000);
    }

    private static void rejects(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    private static void rejectsNull(String message, Executable call) {
        assertEquals(message, assertThrows(NullPointerException.class, call).getMessage());
    }

    private static InetSocketAddress address(String host, int port) {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Test
    void hasDocumentedDefaults() {
        ClientConfig<String> c = base().build();
        assertEquals(List.of(address("127.0.0.1", 9000)), c.remoteAddresses());
        assertEquals(Duration.ofSeconds(10), c.connectTimeout());
        assertEquals(Framing.lines(65536), c.framing());
        assertEquals(Codec.utf8(), c.codec());
        assertTrue(c.handler().isEmpty());
        assertTrue(c.batchHandler().isEmpty());
        assertEquals(ConnectionListener.NONE, c.listener());
        assertEquals(MetricsRecorder.NONE, c.metrics());
        assertTrue(c.userHandlers().isEmpty());
        assertTrue(c.eventLoopGroup().isEmpty());
        assertEquals(1, c.ioThreads());
        assertEquals(Transport.AUTO, c.transport());
        assertEquals("tether", c.name());
        assertEquals(16384, c.inboxCapacity());
        assertEquals(16L << 20, c.inboxCapacityBytes());
        assertEquals(Duration.ofSeconds(5), c.closeTimeout());
        assertEquals(ReconnectPolicy.exponential(Duration.ofMillis(100), Duration.ofSeconds(30)), c.reconnect());
        assertFalse(c.retryInitialConnect());
        assertEquals(IdlePolicy.disabled(), c.idle());
        assertEquals(KeepAlive.of(Duration.ofSeconds(15), Duration.ofSeconds(5), 3), c.keepAlive());
        assertEquals(SendBuffer.bounded(10_000, 8L << 20), c.sendBuffer());
        assertEquals(WriteBuffer.defaults(), c.writeBuffer());
        assertTrue(c.onConnect().isEmpty());
        assertEquals(ForkJoinPool.commonPool(), c.publisherExecutor());
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
        rejects("remoteAddresses must not be empty", () -> b.remoteAddresses(List.of()));
        rejects("connectTimeout must be > 0, was PT0S", () -> b.connectTimeout(Duration.ZERO));
        rejects("connectTimeout must be > 0, was PT-1S", () -> b.connectTimeout(Duration.ofSeconds(-1)));
        rejects(
                "connectTimeout must be <= 2147483647 ms, was PT596524H",
                () -> b.connectTimeout(Duration.ofHours(596524)));
        rejects("closeTimeout must be > 0, was PT0S", () -> b.closeTimeout(Duration.ZERO));
        rejects("eventLoops threads must be in 1..256, was 0", () -> b.eventLoops(0, Transport.AUTO));
        rejects("eventLoops threads must be in 1..256, was 257", () -> b.eventLoops(257, NIO));
        rejects("inboxCapacity must be in 1..1048576 messages, was 0", () -> b.inboxCapacity(0));
        rejects("inboxCapacity must be in 1..1048576 messages, was 1048577", () -> b.inboxCapacity(1048577, 1));
        rejects("inboxCapacity bytes must be >= 1, was 0", () -> b.inboxCapacity(16, 0));
        rejects("name must be 1 to 64 characters from A-Z a-z 0-9 . _ -, was \"a b\"", () -> b.name("a b"));
        rejects("name must be 1 to 64 characters from A-Z a-z 0-9 . _ -, was \"\"", () -> b.name(""));
    }

    @Test
    void rejectsNullsNamingTheSetting() {
        ClientConfig.Builder<String> b = ClientConfig.builder();
        rejectsNull("host", () -> b.remoteAddress(null, 1));
        rejectsNull("connectTimeout", () -> b.connectTimeout(null));
        rejectsNull("framing", () -> b.framing(null));
        rejectsNull("listener", () -> b.listener(null));
        rejectsNull("metrics", () -> b.metrics(null));
        rejectsNull("codec", () -> ClientConfig.builder(null));
        rejectsNull("transport", () -> b.eventLoops(1, null));
        rejectsNull("eventLoopGroup", () -> b.eventLoopGroup(null));
        rejectsNull("publisherExecutor", () -> b.publisherExecutor(null));
        rejectsNull("handler factory", () -> b.addHandler(null));
    }

    @Test
    void buildChecksRulesAcrossSettings() {
        assertEquals(
                "remoteAddress is required: call remoteAddress(host, port)",
                assertThrows(
                                IllegalStateException.class,
                                () -> ClientConfig.builder().build())
                        .getMessage());
        assertEquals(
                "handler and batchHandler are both set: messages go to one of them; remove one",
                assertThrows(
                                IllegalStateException.class,
                                () -> base().handler((c, m) -> {})
                                        .batchHandler((c, b) -> {})
                                        .build())
                        .getMessage());
    }

    @Test
    void eventLoopsAndASharedGroupAreOneSettingWhereTheLastCallWins() {
        ClientConfig<String> shared =
                base().eventLoops(4, EPOLL).eventLoopGroup(group).build();
        assertEquals(Optional.of(group), shared.eventLoopGroup());
        assertEquals(0, shared.ioThreads(), "the client counts no threads of a group it does not own");
        assertEquals(NIO, shared.transport(), "detected from the group");

        ClientConfig<String> own =
                base().eventLoopGroup(group).eventLoops(3, NIO).build();
        assertEquals(Optional.empty(), own.eventLoopGroup());
        assertEquals(3, own.ioThreads());
        assertEquals(NIO, own.transport());
    }

    @Test
    @DisplayName("issue 10: toBuilder().eventLoopGroup(g) no longer keeps an earlier thread count")
    void issue10ToBuilderSwitchesBetweenOwnAndSharedLoopsCleanly() {
        ClientConfig<String> own = base().eventLoops(4, NIO).build();

        ClientConfig<String> shared = own.toBuilder().eventLoopGroup(group).build();
        assertEquals(Optional.of(group), shared.eventLoopGroup());
        assertEquals(0, shared.ioThreads(), "kept the 4 threads of the client's own group before");
        assertEquals(NIO, shared.transport());
        assertEquals(shared, shared.toBuilder().build());

        ClientConfig<String> ownAgain =
                shared.toBuilder().eventLoops(2, Transport.AUTO).build();
        assertEquals(Optional.empty(), ownAgain.eventLoopGroup());
        assertEquals(2, ownAgain.ioThreads());
        assertEquals(Transport.AUTO, ownAgain.transport());
        assertEquals(own, ownAgain.toBuilder().eventLoops(4, NIO).build());
    }

    /** One change of one setting: the builder method ({@code name/parameter count}), the change, how to read it back. */
    private record Change(
            String setter,
            UnaryOperator<ClientConfig.Builder<String>> change,
            Function<ClientConfig<String>, Object> read,
            Object expected) {}

    private static Change change(
            String setter,
            UnaryOperator<ClientConfig.Builder<String>> change,
            Function<ClientConfig<String>, Object> read,
            Object expected) {
        return new Change(setter, change, read, expected);
    }

    @Test
    void everySettingSurvivesToBuilderAndTakesPartInEquality() {
        MessageHandler<String> handler = (connection, message) -> {};
        BatchHandler<String> batchHandler = (connection, batch) -> {};
        Supplier<ChannelHandler> extra = ChannelInboundHandlerAdapter::new;
        Supplier<ChannelHandler> extra2 = ChannelInboundHandlerAdapter::new;
        ConnectionListener listener = new ConnectionListener() {};
        MetricsRecorder recorder = new MetricsRecorder() {};
        Function<Connection<String>, CompletableFuture<Void>> hook = connection -> connection.send("LOGIN");
        Executor executor = Runnable::run;
        Function<ClientConfig<String>, Object> loops = c -> List.of(c.ioThreads(), c.transport(), c.eventLoopGroup());
        Function<ClientConfig<String>, Object> inbox = c -> List.of(c.inboxCapacity(), c.inboxCapacityBytes());
        // every setting away from its default, so a setting the copy forgets shows up as a difference
        ClientConfig<String> original = ClientConfig.builder()
                .remoteAddresses(List.of(address("10.0.0.1", 1), address("10.0.0.2", 2)))
                .connectTimeout(ofSeconds(3))
                .framing(Framing.lengthField(4, 1000))
                .handler((connection, message) -> {})
                .listener(new ConnectionListener() {})
                .addHandler(extra)
                .eventLoops(2, NIO)
                .name("original")
                .inboxCapacity(100, 1000)
                .closeTimeout(ofSeconds(2))
                .reconnect(ReconnectPolicy.fixed(ofSeconds(1)))
                .retryInitialConnect(true)
                .idle(IdlePolicy.readTimeout(ofSeconds(9)))
                .keepAlive(KeepAlive.disabled())
                .sendBuffer(SendBuffer.disabled())
                .writeBuffer(WriteBuffer.failFast(1, 2))
                .onConnect(connection -> connection.send("HELLO"))
                .publisherExecutor(command -> new Thread(command).start())
                .tls(Tls.system())
                .proxy(Proxy.socks5("127.0.0.1", 1080))
                .build();
        List<InetSocketAddress> at7 = List.of(address("127.0.0.1", 7));
        Duration four = ofSeconds(4);
        KeepAlive quick = KeepAlive.of(ofSeconds(1), ofSeconds(1), 1);
        SendBuffer small = SendBuffer.bounded(5, 50);
        WriteBuffer unbounded = WriteBuffer.unbounded(1, 2);
        Proxy http = Proxy.http("127.0.0.1", 3128).withCredentials("reader", "secret");
        Tls mutual = Tls.system().withClientCertificate(Path.of("client.pem"), Path.of("client.key"));
        List<Change> changes = List.of(
                change("remoteAddress/2", b -> b.remoteAddress("127.0.0.1", 7), ClientConfig::remoteAddresses, at7),
                change("remoteAddress/1", b -> b.remoteAddress(at7.get(0)), ClientConfig::remoteAddresses, at7),
                change("remoteAddresses/1", b -> b.remoteAddresses(at7), ClientConfig::remoteAddresses, at7),
                change("connectTimeout/1", b -> b.connectTimeout(four), ClientConfig::connectTimeout, four),
                change("framing/1", b -> b.framing(Framing.lines(10)), ClientConfig::framing, Framing.lines(10)),
                change("handler/1", b -> b.handler(handler), ClientConfig::handler, Optional.of(handler)),
                change(
                        "batchHandler/1",
                        b -> b.handler(null).batchHandler(batchHandler), // one excludes the other
                        ClientConfig::batchHandler,
                        Optional.of(batchHandler)),
                change("listener/1", b -> b.listener(listener), ClientConfig::listener, listener),
                change("metrics/1", b -> b.metrics(recorder), ClientConfig::metrics, recorder),
                change("addHandler/1", b -> b.addHandler(extra2), ClientConfig::userHandlers, List.of(extra, extra2)),
                change("eventLoops/2", b -> b.eventLoops(3, EPOLL), loops, List.of(3, EPOLL, Optional.empty())),
                change("eventLoopGroup/1", b -> b.eventLoopGroup(group), loops, List.of(0, NIO, Optional.of(group))),
                change("name/1", b -> b.name("changed"), ClientConfig::name, "changed"),
                change("inboxCapacity/1", b -> b.inboxCapacity(200), inbox, List.of(200, 1000L)),
                change("inboxCapacity/2", b -> b.inboxCapacity(100, 2000), inbox, List.of(100, 2000L)),
                change("closeTimeout/1", b -> b.closeTimeout(four), ClientConfig::closeTimeout, four),
                change(
                        "reconnect/1",
                        b -> b.reconnect(ReconnectPolicy.disabled()),
                        ClientConfig::reconnect,
                        ReconnectPolicy.disabled()),
                change(
                        "retryInitialConnect/1",
                        b -> b.retryInitialConnect(false),
                        ClientConfig::retryInitialConnect,
                        false),
                change("idle/1", b -> b.idle(IdlePolicy.disabled()), ClientConfig::idle, IdlePolicy.disabled()),
                change("keepAlive/1", b -> b.keepAlive(quick), ClientConfig::keepAlive, quick),
                change("sendBuffer/1", b -> b.sendBuffer(small), ClientConfig::sendBuffer, small),
                change("writeBuffer/1", b -> b.writeBuffer(unbounded), ClientConfig::writeBuffer, unbounded),
                change("onConnect/1", b -> b.onConnect(hook), ClientConfig::onConnect, Optional.of(hook)),
                change(
                        "publisherExecutor/1",
                        b -> b.publisherExecutor(executor),
                        ClientConfig::publisherExecutor,
                        executor),
                change("tls/1", b -> b.tls(mutual), ClientConfig::tls, Optional.of(mutual)),
                change("proxy/1", b -> b.proxy(http), ClientConfig::proxy, Optional.of(http)));

        ClientConfig<String> copy = original.toBuilder().build();
        assertEquals(original, copy);
        assertEquals(original.hashCode(), copy.hashCode());
        for (Change c : changes) {
            assertNotEquals(c.expected(), c.read().apply(original), c.setter() + ": the original must differ");
            ClientConfig<String> changed =
                    c.change().apply(original.toBuilder()).build();
            assertEquals(c.expected(), c.read().apply(changed), c.setter());
            assertNotEquals(original, changed, c.setter() + " changed nothing that equals sees");
            assertNotEquals(changed, original, c.setter());
            ClientConfig<String> again = changed.toBuilder().build();
            assertEquals(changed, again, c.setter() + " does not survive toBuilder()");
            assertEquals(changed.hashCode(), again.hashCode(), c.setter());
            assertEquals(original, original.toBuilder().build(), c.setter() + " changed the original");
        }
        ClientConfig<byte[]> bytes = ClientConfig.builder(Codec.bytes())
                .remoteAddress("127.0.0.1", 9000)
                .build();
        assertNotEquals(base().build(), bytes, "the codec takes part too");

        // a setter, or a value the config holds, without a case above fails here
        Set<String> setters = Arrays.stream(ClientConfig.Builder.class.getMethods())
                .filter(m -> m.getReturnType() == ClientConfig.Builder.class)
                .map(ClientConfigTest::signature)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(setters, changes.stream().map(Change::setter).collect(Collectors.toCollection(TreeSet::new)));
        // the held values each setter writes: those of its own name, but for these
        Map<String, Set<String>> writes = Map.of(
                "remoteAddress", Set.of("remoteAddresses"),
                "addHandler", Set.of("userHandlers"),
                "eventLoops", Set.of("loops"),
                "eventLoopGroup", Set.of("loops"),
                "inboxCapacity", Set.of("inboxCapacity", "inboxCapacityBytes"));
        Set<String> values = changes.stream()
                .map(c -> c.setter().substring(0, c.setter().indexOf('/')))
                .flatMap(name -> writes.getOrDefault(name, Set.of(name)).stream())
                .collect(Collectors.toCollection(TreeSet::new));
        values.add("codec"); // set by ClientConfig.builder(Codec), checked above
        assertEquals(valueComponents(), values);
    }

    private static String signature(Method m) {
        return m.getName() + "/" + m.getParameterCount();
    }

    private static Set<String> valueComponents() {
        Class<?> values = Arrays.stream(ClientConfig.class.getDeclaredClasses())
                .filter(c -> c.getSimpleName().equals("Values"))
                .findFirst()
                .orElseThrow();
        return Arrays.stream(values.getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
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
        assertTrue(s.contains("eventLoopGroup=own, 1 thread(s), transport=AUTO"), s);
        assertTrue(s.contains("sendBuffer=SendBuffer{maxMessages=10000, maxBytes=8388608}"), s);
        assertTrue(s.contains("idle=IdlePolicy{disabled}"), s);
        assertTrue(s.contains("publisherExecutor=ForkJoinPool.commonPool()"), s);
        assertTrue(s.contains("tls=off"), s);
        assertTrue(s.contains("proxy=none"), s);
        assertFalse(s.contains("@"), "no identity hash codes: " + s);
        String shared = base().eventLoopGroup(group).build().toString();
        assertTrue(shared.contains("eventLoopGroup=caller's, transport=NIO"), shared);
    }

    @Test
    void everyOffSwitchIsCalledDisabledAndPrintsAlike() {
        assertFalse(SendBuffer.disabled().isEnabled());
        assertFalse(KeepAlive.disabled().isEnabled());
        assertFalse(IdlePolicy.disabled().isEnabled());
        assertFalse(ReconnectPolicy.disabled().isEnabled());
        assertEquals("SendBuffer{disabled}", SendBuffer.disabled().toString());
        assertEquals("KeepAlive{disabled}", KeepAlive.disabled().toString());
        assertEquals("IdlePolicy{disabled}", IdlePolicy.disabled().toString());
        assertEquals("ReconnectPolicy{disabled}", ReconnectPolicy.disabled().toString());
        assertTrue(IdlePolicy.disabled().heartbeatMessage().isEmpty());
        assertEquals(
                "PING",
                IdlePolicy.heartbeat(Duration.ofSeconds(1), () -> "PING")
                        .heartbeatMessage()
                        .orElseThrow()
                        .get());
    }
}
