/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tether.Transport;
import dev.tether.tls.TlsProvider;
import io.netty.handler.ssl.OpenSsl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 12: the rows over TLS. Tether, the hand-written Netty client and the TLS sink each receive a small feed over
 * TLS, on the JDK's provider and on OpenSSL where it loads, and check the count; the feed server saw a TLS handshake;
 * a server whose certificate is not for the address connected to is refused by both clients; the options and the
 * page. Nothing here is timed.
 */
class TlsPeersTest {
    private static BenchTls tls;
    private static final Map<TlsProvider, FeedServer> servers = new EnumMap<>(TlsProvider.class);

    @BeforeAll
    static void startServers() throws Exception {
        tls = BenchTls.create();
        for (TlsProvider provider : BenchTls.providers()) {
            servers.put(provider, new FeedServer(tls.serverContext(provider)));
        }
    }

    @AfterAll
    static void stopServers() {
        servers.values().forEach(FeedServer::close);
    }

    static Stream<Arguments> peersOverTls() {
        return Stream.of(TlsProvider.JDK, TlsProvider.OPENSSL)
                .flatMap(provider -> Stream.of(Workload.LINES_64, Workload.LENPREF_4096)
                        .flatMap(workload -> Stream.of("tether-strings", "netty", "tls-sink")
                                .map(peer -> Arguments.of(provider, peer, workload))));
    }

    private static void assumeAvailable(TlsProvider provider) {
        assumeTrue(
                provider != TlsProvider.OPENSSL || OpenSsl.isAvailable(),
                () -> "OpenSSL is not available here: " + OpenSsl.unavailabilityCause());
    }

    @ParameterizedTest(name = "{1} over {0} on {2}")
    @MethodSource("peersOverTls")
    void issue12_eachPeerReceivesExactlyWhatWasSentOverTls(TlsProvider provider, String name, Workload workload)
            throws Exception {
        assumeAvailable(provider);
        FeedServer server = servers.get(provider);
        // more than one 64 KiB block and not a whole number of them, so every client sees frames split across reads
        long messages = workload.messagesFor(300 * 1024) + 3;
        synchronized (TlsPeersTest.class) {
            server.prepare(workload, messages);
            try (Peer peer = SideBySide.create(name, Transport.NIO, false, tls.client(provider))) {
                assertEquals(BenchTls.label(provider), peer.tls());
                assertTrue(peer.receive(workload, messages, server.port()) > 0);
            }
        }
        // the feed was encrypted: the server's side finished a handshake, on the same protocol for every client
        Set<String> sessions = server.sessions();
        assertEquals(1, sessions.size(), sessions::toString);
        assertTrue(sessions.iterator().next().startsWith("TLSv1."), sessions::toString);
    }

    @ParameterizedTest(name = "a newcomer's {1} over {0}")
    @MethodSource("newcomers")
    void issue12_aNewcomersPeerOverTlsCreatesItsOwnThreadAndReceives(TlsProvider provider, String name)
            throws Exception {
        assumeAvailable(provider);
        FeedServer server = servers.get(provider);
        long messages = Workload.LINES_512.messagesFor(100 * 1024) + 1;
        synchronized (TlsPeersTest.class) {
            server.prepare(Workload.LINES_512, messages);
            try (Peer peer = SideBySide.create(name, Transport.AUTO, true, tls.client(provider))) {
                assertTrue(peer.receive(Workload.LINES_512, messages, server.port()) > 0);
            }
        }
    }

    static Stream<Arguments> newcomers() {
        return Stream.of(TlsProvider.JDK, TlsProvider.OPENSSL)
                .flatMap(provider -> Stream.of("tether-strings", "netty").map(peer -> Arguments.of(provider, peer)));
    }

    @Test
    void issue12_bothClientsCheckTheServersNameAsTetherDoes() throws Exception {
        // a certificate from the same authority, for another address than the one the clients connect to
        BenchTls elsewhere = BenchTls.create("127.0.0.2");
        try (FeedServer server = new FeedServer(elsewhere.serverContext(TlsProvider.JDK))) {
            server.prepare(Workload.LINES_64, 10);
            for (String name : List.of("tether-strings", "netty")) {
                try (Peer peer = SideBySide.create(name, Transport.NIO, true, elsewhere.client(TlsProvider.JDK))) {
                    Exception e = assertThrows(
                            Exception.class, () -> peer.receive(Workload.LINES_64, 10, server.port()), name);
                    Throwable cause = e;
                    while (cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    // the JDK's own check of the name, the same for both: "HTTPS" endpoint identification
                    assertEquals(
                            "No subject alternative names matching IP address 127.0.0.1 found",
                            cause.getMessage(),
                            name + ": " + e);
                }
            }
            assertEquals(Set.of(), server.sessions(), "no handshake may succeed");
        }
    }

    @Test
    void issue12_tlsRowsAreTetherNettyAndTheSinkForEachProvider() throws Exception {
        List<Peer> peers = SideBySide.tlsPeers(tls, false, false, false, SideBySide.RUN_TIMEOUT);
        try {
            assertEquals(
                    SideBySide.TLS_CLIENTS,
                    peers.stream().map(Peer::name).distinct().toList());
            assertEquals(
                    BenchTls.providers().stream().map(BenchTls::label).toList(),
                    peers.stream().map(Peer::tls).distinct().toList());
        } finally {
            for (Peer peer : peers) {
                peer.close();
            }
        }
        List<Peer> forked = SideBySide.tlsPeers(tls, false, true, false, SideBySide.RUN_TIMEOUT);
        assertEquals(
                List.of("auto"),
                forked.stream()
                        .filter(peer -> peer.name().equals("tether-strings"))
                        .map(Peer::transport)
                        .distinct()
                        .toList());
    }

    @Test
    void issue12_theTlsOptionIsParsedAndItsClientsChecked() {
        SideBySide.Options options = SideBySide.Options.parse("--tls", "--clients", "tether-strings,tls-sink");

        assertTrue(options.tls());
        assertEquals(List.of("tether-strings", "tls-sink"), options.clients());
        assertFalse(options.slowConsumer(), "the slow consumer is a TCP figure");
        assertFalse(SideBySide.Options.parse().tls());
        assertEquals(
                List.of("--tls", "--reps", "2"),
                SideBySide.Options.parse("--tls", "--reps", "2").args());
        // --clients is checked against the rows --tls asks for, wherever --tls is on the line
        assertEquals(
                List.of("tls-sink"),
                SideBySide.Options.parse("--clients", "tls-sink", "--tls").clients());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SideBySide.Options.parse("--clients", "tls-sink"))
                .getMessage()
                .startsWith("unknown client 'tls-sink'; known: [tether-strings, "));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> SideBySide.Options.parse("--tls", "--clients", "vertx"))
                .getMessage()
                .startsWith("unknown client 'vertx'; known: [tether-strings, netty, tls-sink]"));
    }

    @Test
    void issue12_aChildsTlsArgumentsGoRoundTrip() {
        ForkedPeer.ChildArgs args = new ForkedPeer.ChildArgs(
                "netty",
                Transport.EPOLL,
                Workload.LINES_64,
                1,
                2,
                Duration.ofSeconds(3),
                true,
                "openssl",
                Path.of("/tmp/ca.pem"));
        List<String> line = args.toArgs();

        assertEquals(args, ForkedPeer.ChildArgs.parse(line.subList(1, line.size())));
    }

    @Test
    @Timeout(90) // a JVM start with the build's agents: seconds on a busy machine
    void issue12_aForkedRunOverTlsTrustsTheAuthorityFromItsFile() throws Exception {
        FeedServer server = servers.get(TlsProvider.JDK);
        long messages = Workload.LINES_64.messagesFor(300 * 1024) + 3;
        synchronized (TlsPeersTest.class) {
            server.prepare(Workload.LINES_64, messages);
            ForkedPeer peer = new ForkedPeer(
                    "tether-strings", Transport.AUTO, Duration.ofSeconds(20), true, "jdk", tls.authorityFile());

            assertTrue(peer.receive(Workload.LINES_64, messages, server.port()) > 0);
        }
    }

    @Test
    void issue12_thePageSaysWhereTetherIsBelowTheNettyClient() {
        SideBySide.Options options = SideBySide.Options.parse("--tls", "--workloads", "lines-64");
        List<SideBySide.Result> results = List.of(
                result("tether-strings", "jdk", 2e6),
                result("netty", "jdk", 1e6),
                result("tls-sink", "jdk", 4e6),
                result("tether-strings", "openssl", 3e6),
                result("netty", "openssl", 4e6),
                result("tls-sink", "openssl", 8e6));
        Map<String, Set<String>> sessions = new TreeMap<>(Map.of("jdk", Set.of("TLSv1.3 TLS_AES_128_GCM_SHA256")));

        String page = Report.tlsMarkdown(options, results, sessions, "a machine");

        assertTrue(page.contains("| lines-64 | 2.00 (epoll) | 0.75 (epoll) |\n"), page);
        assertTrue(
                page.contains("below the Netty client's on: lines-64 over openssl on epoll: 0.75 (3,000,000 against"
                        + " 4,000,000 msgs/s)."),
                page);
        assertTrue(page.contains("| tether-strings | jdk | epoll | 2,000,000 | 2,000,000–2,000,000 | 2.00 | 0.50 |\n"));
        assertTrue(page.contains("- jdk: TLSv1.3 TLS_AES_128_GCM_SHA256\n"), page);
        assertTrue(page.contains("tether-bench.jar --tls --workloads lines-64\n"), page);
    }

    private static SideBySide.Result result(String client, String provider, double rate) {
        return new SideBySide.Result(Workload.LINES_64, client, "epoll", provider, List.of(rate), 0, 1);
    }
}
