/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fault proxy itself, between a plain JDK socket and a {@link TargetServer}: each fault does what it says. */
class FaultProxyTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] PAYLOAD = payload(64 * 1024);

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        Waiting.noThreadsNamed("fault-proxy-", WAIT);
        Waiting.noThreadsNamed("target-", WAIT);
    }

    private static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    private <T extends AutoCloseable> T track(T resource) {
        opened.add(resource);
        return resource;
    }

    private FaultProxy proxyTo(TargetServer.Script script) throws IOException {
        TargetServer server = track(TargetServer.start(script));
        return track(FaultProxy.start(server.address()));
    }

    private Socket connect(FaultProxy proxy) throws IOException {
        Socket socket = track(new Socket());
        socket.setSoTimeout((int) WAIT.toMillis()); // before connecting: after a reset, setting options fails
        socket.connect(proxy.address(), (int) WAIT.toMillis());
        return socket;
    }

    private static byte[] readExactly(Socket socket, int n) throws IOException {
        return socket.getInputStream().readNBytes(n);
    }

    @Test
    void forwardsBothWaysUnchanged() throws Exception {
        FaultProxy proxy = proxyTo(TargetServer.echo());
        Socket socket = connect(proxy);

        socket.getOutputStream().write(PAYLOAD);

        assertArrayEquals(PAYLOAD, readExactly(socket, PAYLOAD.length));
        assertEquals(1, proxy.acceptedCount());
        // counted once the write returns, which may be after the client has read the bytes
        Await.until(() -> proxy.bytesToClient() == PAYLOAD.length, WAIT, "all bytes counted");
    }

    @Test
    void latencyDelaysEachChunkByAtLeastTheLatency() throws Exception {
        FaultProxy proxy = proxyTo(TargetServer.echo()).latency(Duration.ofMillis(100));
        Socket socket = connect(proxy);

        long start = System.nanoTime();
        socket.getOutputStream().write('x');
        assertEquals('x', socket.getInputStream().read());
        long took = System.nanoTime() - start;

        // one delay each way; only the lower bound is a property of the proxy, the upper bound is the machine's
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(200), "echo took " + took / 1_000_000 + " ms");
    }

    @Test
    void jitterDelaysEachChunkByWhatTheSeedDraws() throws Exception {
        Duration jitter = Duration.ofMillis(300);
        FaultProxy proxy = proxyTo(TargetServer.echo()).seed(5).jitter(jitter);
        Socket socket = connect(proxy);
        // the first link draws the same delays as this copy of its faults, one each way: 389 ms in all for seed 5
        Faults drawn = new Faults();
        drawn.seed(5);
        drawn.jitter(jitter);
        long expected = drawn.delayNanos(drawn.random(1, false)) + drawn.delayNanos(drawn.random(1, true));

        long start = System.nanoTime();
        socket.getOutputStream().write('x');
        assertEquals('x', socket.getInputStream().read());
        long took = System.nanoTime() - start;

        assertTrue(took >= expected, "echo took " + took / 1_000_000 + " ms, drawn " + expected / 1_000_000 + " ms");
    }

    @Test
    void bandwidthCapsTheRate() throws Exception {
        FaultProxy proxy = proxyTo(TargetServer.send(PAYLOAD)).bandwidth(256 * 1024);
        Socket socket = connect(proxy);

        long start = System.nanoTime();
        assertArrayEquals(PAYLOAD, readExactly(socket, PAYLOAD.length));
        long took = System.nanoTime() - start;

        // 64 KiB at 256 KiB/s is 250 ms at least, once the first chunk has gone (it may go at once)
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(180), "64 KiB took " + took / 1_000_000 + " ms");
    }

    @Test
    void sliceDeliversTinyWritesThatReassembleExactly() throws Exception {
        FaultProxy proxy = proxyTo(TargetServer.send(PAYLOAD)).seed(42).slice(3);
        Socket socket = connect(proxy);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (received.size() < PAYLOAD.length) {
            int n = in.read(buffer);
            received.write(buffer, 0, n);
        }

        assertArrayEquals(PAYLOAD, received.toByteArray());
        // every write to the client carried 1 to 3 bytes (how many the client's reads coalesce is the kernel's affair)
        long writes = proxy.writesToClient();
        assertTrue(writes >= PAYLOAD.length / 3 && writes <= PAYLOAD.length, writes + " writes");
    }

    @Test
    void holdKeepsTheConnectionOpenButSilentAndReleaseDeliversEverything() throws Exception {
        FaultProxy proxy = proxyTo(TargetServer.echo()).hold();
        Socket socket = connect(proxy);
        socket.setSoTimeout(200);

        socket.getOutputStream().write("held".getBytes());

        assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        proxy.release();
        socket.setSoTimeout((int) WAIT.toMillis());
        assertArrayEquals("held".getBytes(), readExactly(socket, 4));
    }

    @Test
    void resetAllResetsTheClient() throws Exception {
        FaultProxy proxy = proxyTo(TargetServer.stall());
        Socket socket = connect(proxy);
        Await.until(() -> proxy.acceptedCount() == 1, WAIT, "the proxy to accept");
        Await.until(() -> proxyLinks(proxy) > 0, WAIT, "the link to the server");

        proxy.resetAll();

        SocketException e = assertThrows(
                SocketException.class, () -> socket.getInputStream().read());
        assertEquals("Connection reset", e.getMessage());
    }

    @Test
    void closeAllClosesCleanly() throws Exception {
        FaultProxy proxy = proxyTo(TargetServer.stall());
        Socket socket = connect(proxy);
        Await.until(() -> proxyLinks(proxy) > 0, WAIT, "the link to the server");

        proxy.closeAll();

        assertEquals(-1, socket.getInputStream().read());
    }

    @Test
    void closeAfterDeliversExactlyThatManyBytesThenCloses() throws Exception {
        FaultProxy proxy =
                proxyTo(TargetServer.send(PAYLOAD)).closeAfter(1000).seed(1).slice(100);
        Socket socket = connect(proxy);

        byte[] received = socket.getInputStream().readAllBytes();

        assertEquals(1000, received.length);
        assertArrayEquals(java.util.Arrays.copyOf(PAYLOAD, 1000), received);
    }

    @Test
    void downRefusesNewConnectionsAndUpListensOnTheSamePortAgain() throws Exception {
        FaultProxy proxy = proxyTo(TargetServer.echo());
        Socket before = connect(proxy);
        before.getOutputStream().write('a');
        assertEquals('a', before.getInputStream().read());

        proxy.down();

        assertThrows(SocketException.class, () -> before.getInputStream().read()); // reset with the rest
        assertThrows(ConnectException.class, () -> new Socket(proxy.address().getAddress(), proxy.port()).close());
        proxy.up();
        Socket after = connect(proxy);
        after.getOutputStream().write('b');
        assertEquals('b', after.getInputStream().read());
    }

    @Test
    void closeIsIdempotentAndLeavesNoThread() throws Exception {
        FaultProxy proxy = proxyTo(TargetServer.echo()).latency(Duration.ofSeconds(30));
        Socket socket = connect(proxy);
        socket.getOutputStream().write('x'); // a writer now waits out the latency

        proxy.close();
        proxy.close();

        Waiting.noThreadsNamed("fault-proxy-" + proxy.port(), WAIT);
    }

    /** Returns how many threads the proxy runs for links: four for each open link. */
    private static long proxyLinks(FaultProxy proxy) {
        return Waiting.threadsNamed("fault-proxy-" + proxy.port() + "-link-").size();
    }
}
