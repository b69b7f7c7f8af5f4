/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Both clients of the many-connections run open and close every connection, and the result line survives the trip. */
class ManyConnectionsTest {
    private static final int CONNECTIONS = 50;

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"tether, NIO", "netty, NIO", "tether, AUTO", "netty, AUTO"})
    void eachClientOpensAndClosesEveryConnectionInProcess(String client, Transport transport) throws Exception {
        AtomicInteger seenAtPeak = new AtomicInteger(-1);
        ConnectionsResult result;
        try (IdleServer server = new IdleServer(2)) {
            result = ConnectionsChild.run(client, transport, 1, CONNECTIONS, 20, server.addresses(), () -> {
                try {
                    server.awaitOpen(CONNECTIONS, Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seenAtPeak.set(server.open());
            });
            assertTrue(server.awaitOpen(0, Duration.ofSeconds(10)), () -> server.open() + " still open");
        }

        assertEquals(CONNECTIONS, seenAtPeak.get());
        assertEquals(CONNECTIONS, result.connections());
        assertEquals(client, result.client());
        assertTrue(result.threads() < CONNECTIONS, () -> "a thread per connection? " + result.threadNames());
        assertEquals(0, result.threadsAfterClose(), result::threadNames);
        assertEquals(result, ConnectionsResult.parse(result.line()));
    }

    @Test
    void theRunnerForksOneJvmPerClientAndReadsItsResult() throws Exception {
        ManyConnections.Options options = ManyConnections.Options.parse("--connections", "" + CONNECTIONS);
        List<ConnectionsResult> results = new ArrayList<>();
        for (String client : options.clients()) {
            results.add(ChildRun.run(options, client, Transport.AUTO, 1, false, (key, histogram) -> {}));
        }

        assertEquals(
                List.of("tether", "netty"),
                results.stream().map(ConnectionsResult::client).toList());
        for (ConnectionsResult result : results) {
            assertEquals(CONNECTIONS, result.connections());
            assertEquals("auto", result.requested());
            assertEquals(results.get(0).transport(), result.transport(), "both clients on what AUTO picks");
        }
        String page = ConnectionsReport.markdown(
                options,
                new String[] {"--connections", "" + CONNECTIONS},
                results,
                ConnectionsReport.medians(results),
                Map.of(),
                "a machine",
                new int[] {32768, 60999});
        assertTrue(page.contains("| tether | "), page);
        assertTrue(page.contains("| netty | "), page);
    }

    @Test
    void mediansAreTakenPerClientTransportAndThreads() {
        ConnectionsResult a = result("tether", 1, 300);
        ConnectionsResult b = result("tether", 1, 100);
        ConnectionsResult c = result("tether", 1, 200);
        ConnectionsResult d = result("netty", 1, 100);
        ConnectionsResult e = result("tether", 2, 400);

        List<ConnectionsResult> medians = ConnectionsReport.medians(List.of(a, b, c, d, e));

        assertEquals(3, medians.size());
        assertEquals(200, medians.get(0).heapBytes());
        assertEquals("2.00", ConnectionsReport.heapRatio(medians.get(0), medians));
        assertEquals("-", ConnectionsReport.heapRatio(medians.get(2), medians), "no Netty run with 2 threads");
    }

    @Test
    void serverAddressesAreAddedOnlyWhenThePortsOfOnePairRunShort() {
        assertEquals(1, ManyConnections.targetsFor(10_000, 28_232));
        assertEquals(2, ManyConnections.targetsFor(30_000, 28_232));
    }

    @Test
    void optionsAreParsedAndBadOnesExplained() {
        ManyConnections.Options options = ManyConnections.Options.parse(
                "--connections", "200", "--transport", "epoll,io_uring", "--io-threads", "1,2", "--clients", "netty");

        assertEquals(200, options.connections());
        assertEquals(List.of(Transport.EPOLL, Transport.IO_URING), options.transports());
        assertEquals(List.of(1, 2), options.ioThreads());
        assertEquals(List.of("netty"), options.clients());
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> ManyConnections.Options.parse("--transport", "kqueue"))
                .getMessage()
                .startsWith("unknown transport 'kqueue'"));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> ManyConnections.Options.parse("--connections", "0"))
                        .getMessage()
                        .startsWith("--connections takes a whole number above 0, not '0'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnectionsResult.parse("client=tether"))
                .getMessage()
                .startsWith("no requested= in: "));
    }

    private static ConnectionsResult result(String client, int ioThreads, long heap) {
        return new ConnectionsResult(
                client, "epoll", "epoll", ioThreads, 100, 20_000, 1, 1, heap, 0, 0, ioThreads, "x", 0, 0, 0);
    }
}
