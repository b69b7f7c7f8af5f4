/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples.server;

import dev.tether.testkit.Script;
import dev.tether.testkit.ScriptedServer;
import dev.tether.testkit.ServerConnection;
import dev.tether.testkit.TestCertificates;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server that misbehaves on a schedule, to watch a client ride it out: it sends a line {@code tick <n>} every
 * interval, then ends each connection in one of the ways real servers fail ({@link Fate}).
 *
 * <p>The schedule is drawn from a seeded random source, one {@link Plan} per accepted connection in accept order,
 * so a seed replays the same misbehaviour ({@link #schedule(long, int)} tells it in advance). Ticks are numbered
 * across connections: a client that reconnects quickly sees the numbers go on. The server answers each line a
 * client sends with {@code ack <line>}, except {@code PING}, which it takes silently; a silent connection answers
 * nothing. Each connection's plan is logged at INFO when it is accepted.
 *
 * <p>It runs on the test kit's {@link ScriptedServer}, plain JDK sockets rather than Netty: each plan becomes a
 * {@link Script} chosen as the connection is accepted, with a thread per connection. A dropped or silent connection
 * ends with a FIN and then waits for the client to close too.
 */
public final class FlakyServer extends DemoServer {
    /** The command line's default seed. */
    public static final long DEFAULT_SEED = 1;
    /** The command line's default time between ticks. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);

    /** The line a heartbeat sends; acknowledged by nothing. */
    private static final String PING = "PING";

    private static final int FEWEST_TICKS = 3;
    private static final int MOST_TICKS = 15;
    // a silent connection is closed after this many intervals, so a client without an idle timeout is not stuck
    private static final int SILENT_INTERVALS = 50;

    private static final Logger log = LoggerFactory.getLogger(FlakyServer.class);

    /** How a connection ends. */
    public enum Fate {
        /** Closed as soon as it is accepted, before any tick: a server that is up but not ready. */
        HANG_UP_AT_ONCE("hang up at once"),
        /** Closed cleanly (FIN) after its ticks: a server restarting. */
        DROP("drop"),
        /** Reset (RST) after its ticks: a server that crashed, or a middlebox that forgot the connection. */
        RESET("reset"),
        /**
         * Kept open but silent after its ticks, ignoring whatever the client sends, until it is closed fifty
         * intervals later: a hung server, which only an idle timeout detects in time.
         */
        SILENCE("go silent");

        private final String text;

        Fate(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * What happens to one connection.
     *
     * @param ticks how many ticks it gets before its fate; 0 for {@link Fate#HANG_UP_AT_ONCE}
     * @param fate how it ends
     */
    public record Plan(int ticks, Fate fate) {
        @Override
        public String toString() {
            return fate == Fate.HANG_UP_AT_ONCE ? fate.toString() : ticks + " ticks, then " + fate;
        }
    }

    private final Duration interval;
    private final Random random; // used by the kit's accept thread only, one connection at a time
    private final AtomicLong nextTick = new AtomicLong(1); // ticks are numbered across connections
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile ScriptedServer server; // set once by start()

    /**
     * Creates the server; {@link #start(int)} opens it.
     *
     * @param seed chooses the schedule; the same seed gives the same {@link #schedule(long, int)}
     * @param interval the time between ticks, at least 1 ms
     * @throws IllegalArgumentException if {@code interval} is under 1 ms
     */
    public FlakyServer(long seed, Duration interval) {
        super("flaky");
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("interval must be at least 1 ms, was " + interval);
        }
        this.interval = Objects.requireNonNull(interval, "interval");
        this.random = new Random(seed);
    }

    @Override
    public synchronized DemoServer start(int port) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        if (server != null) {
            throw new IllegalStateException("flaky server is already started");
        }
        try {
            TestCertificates.Issued certificate = tlsCertificate();
            server = certificate == null
                    ? ScriptedServer.start(port, this::script)
                    : ScriptedServer.startTls(port, certificate.sslContext(), null, this::script);
        } catch (UncheckedIOException e) {
            IOException cause = e.getCause();
            throw new IOException("cannot listen on " + HOST + ":" + port + ": " + cause.getMessage(), cause);
        }
        return this;
    }

    @Override
    public int port() {
        ScriptedServer running = server;
        if (running == null) {
            throw new IllegalStateException("flaky server is not started");
        }
        return running.port();
    }

    @Override
    public void awaitClose() throws InterruptedException {
        if (server == null) {
            throw new IllegalStateException("flaky server is not started");
        }
        closed.await();
    }

    /**
     * Stops accepting and closes every connection at once. Idempotent; does nothing if never started. Works on an
     * interrupted thread too (the tail example closes its embedded server on Ctrl-C).
     */
    @Override
    public synchronized void close() {
        if (server != null && closed.getCount() > 0) {
            try {
                server.close();
            } finally {
                closed.countDown();
            }
        }
    }

    /** Never called: this server does not run on Netty. */
    @Override
    protected void initClient(SocketChannel channel) {
        throw new UnsupportedOperationException("the flaky server does not run on Netty");
    }

    /**
     * Returns the plans that a server created with {@code seed} gives its first {@code connections} connections, in
     * accept order.
     *
     * @param seed the server's seed
     * @param connections how many plans to return
     * @return the plans
     */
    public static List<Plan> schedule(long seed, int connections) {
        Random random = new Random(seed);
        List<Plan> plans = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            plans.add(nextPlan(random));
        }
        return plans;
    }

    private static Plan nextPlan(Random random) {
        int roll = random.nextInt(100);
        int ticks = FEWEST_TICKS + random.nextInt(MOST_TICKS - FEWEST_TICKS + 1);
        if (roll < 15) {
            return new Plan(0, Fate.HANG_UP_AT_ONCE);
        }
        if (roll < 50) {
            return new Plan(ticks, Fate.DROP);
        }
        return new Plan(ticks, roll < 75 ? Fate.RESET : Fate.SILENCE);
    }

    /** Turns the next plan into the script of a connection just accepted; runs on the kit's accept thread. */
    private Script script(ServerConnection connection) {
        Plan plan = nextPlan(random);
        log.info(
                "flaky server: connection {} from port {}: {}",
                connection.index() + 1,
                connection.remoteAddress().getPort(),
                plan);
        if (plan.fate() == Fate.HANG_UP_AT_ONCE) {
            return Script.create().close();
        }
        // silence starts with the last tick: from then on, not even an answer to what the client sends
        AtomicBoolean silent = new AtomicBoolean();
        Script ticking = Script.create()
                .replying(line -> silent.get() || line.equals(PING) ? Optional.empty() : Optional.of("ack " + line))
                .every(interval, plan.ticks(), i -> {
                    silent.set(i == plan.ticks() - 1 && plan.fate() == Fate.SILENCE);
                    return "tick " + nextTick.getAndIncrement();
                })
                .pause(interval); // the fate comes one interval after the last tick
        return switch (plan.fate()) {
            case DROP -> ticking.close();
            case RESET -> ticking.reset(); // SO_LINGER 0: an RST instead of a FIN
            default -> ticking.pause(interval.multipliedBy(SILENT_INTERVALS)).close();
        };
    }
}
