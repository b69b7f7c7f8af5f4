/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.examples.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 */
public final class FlakyServer extends DemoServer {
    /** The command line's default seed. */
    public static final long DEFAULT_SEED = 1;
    /** The command line's default time between ticks. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);

    /** The line a heartbeat sends; acknowledged by nothing. */
    private static final String PING = "PING";

    private static final int MAX_LINE_BYTES = 8 * 1024;
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
    private final Random random; // used on the server's one I/O thread only
    private long nextTick = 1; // likewise
    private int accepted; // likewise

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

    @Override
    protected void initClient(SocketChannel channel) {
        Plan plan = nextPlan(random);
        int number = ++accepted;
        InetSocketAddress client = channel.remoteAddress();
        log.info("flaky server: connection {} from port {}: {}", number, client.getPort(), plan);
        channel.pipeline()
                .addLast(new LineBasedFrameDecoder(MAX_LINE_BYTES))
                .addLast(new StringDecoder(StandardCharsets.UTF_8))
                .addLast(new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8))
                .addLast(new FlakyHandler(plan));
    }

    /** Plays one connection's plan; runs on the server's I/O thread. */
    private final class FlakyHandler extends SimpleChannelInboundHandler<String> {
        private final Plan plan;
        private int sent;
        private boolean silent;
        private ScheduledFuture<?> timer;

        FlakyHandler(Plan plan) {
            this.plan = plan;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.fireChannelActive();
            if (plan.fate() == Fate.HANG_UP_AT_ONCE) {
                ctx.close();
                return;
            }
            long nanos = interval.toNanos();
            timer = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), nanos, nanos, TimeUnit.NANOSECONDS);
        }

        private void tick(ChannelHandlerContext ctx) {
            if (sent < plan.ticks()) {
                sent++;
                ctx.writeAndFlush("tick " + nextTick++);
                // silence starts with the last tick: from then on, not even an answer to what the client sends
                silent = sent == plan.ticks() && plan.fate() == Fate.SILENCE;
                return;
            }
            timer.cancel(false);
            switch (plan.fate()) {
                case DROP -> ctx.close();
                case RESET -> {
                    // SO_LINGER 0 makes close() send RST instead of FIN
                    ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    ctx.close();
                }
                default -> {
                    silent = true; // already, unless the plan had no ticks
                    ctx.executor()
                            .schedule(() -> ctx.close(), interval.toNanos() * SILENT_INTERVALS, TimeUnit.NANOSECONDS);
                }
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (!silent && !line.equals(PING)) {
                ctx.writeAndFlush("ack " + line);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timer != null) {
                timer.cancel(false);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            dropClient(ctx, cause);
        }
    }
}
