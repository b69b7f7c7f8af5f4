/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import java.util.concurrent.CompletableFuture;

/**
 * The round trips of one ping-pong run: the ping of each, the check of its echo, and the timing, for clients that
 * wait on their own thread ({@link #play}) and for clients that send the next ping from the I/O thread ({@link
 * Relay}).
 */
final class RoundTrips {
    /** The bytes of a ping's line before its LF: 64 bytes on the wire. */
    static final int PAYLOAD_BYTES = 63;

    private static final String FILLER = "ping-pong, one line in flight; round trip no. ".repeat(2);

    private RoundTrips() {}

    /** Returns the ping of round trip {@code n}: {@value #PAYLOAD_BYTES} ASCII characters that end in {@code n}. */
    static String payload(int n) {
        String number = Integer.toString(n);
        return FILLER.substring(0, PAYLOAD_BYTES - number.length()) + number;
    }

    /** Fails unless {@code echo} is {@code ping}, naming the client and the round trip. */
    static void verify(String client, int n, String ping, String echo) {
        if (!ping.equals(echo)) {
            throw new IllegalStateException(
                    String.format("%s: round trip %d sent '%s' but got back '%s'", client, n, ping, echo));
        }
    }

    /**
     * Plays {@code warmup + roundTrips} round trips on the calling thread, one {@code exchange} each, and returns
     * the nanoseconds of the last {@code roundTrips}.
     */
    static long[] play(String client, int warmup, int roundTrips, Exchange exchange) throws Exception {
        long[] nanos = new long[roundTrips];
        for (int n = 0; n < warmup + roundTrips; n++) {
            String ping = payload(n);
            long start = System.nanoTime();
            String echo = exchange.roundTrip(ping);
            long took = System.nanoTime() - start;
            verify(client, n, ping, echo);
            if (n >= warmup) {
                nanos[n - warmup] = took;
            }
        }
        return nanos;
    }

    /** One blocking round trip: sends {@code ping} and returns the echo, or throws if none came. */
    @FunctionalInterface
    interface Exchange {
        String roundTrip(String ping) throws Exception;
    }

    /**
     * The round trips of a client whose I/O thread sends the next ping as soon as an echo arrives, as a
     * request-response client written around a handler does. Not thread-safe: {@link #first()} is called before the
     * first send, which hands it to the I/O thread, and {@link #next(String)} on that thread only.
     */
    static final class Relay {
        private final String client;
        private final int warmup;
        private final long[] nanos;
        private final CompletableFuture<long[]> done = new CompletableFuture<>();
        private int n;
        private String ping;
        private long sentAt;

        Relay(String client, int warmup, int roundTrips) {
            this.client = client;
            this.warmup = warmup;
            this.nanos = new long[roundTrips];
        }

        /** Returns the first ping, to send at once. */
        String first() {
            ping = payload(0);
            sentAt = System.nanoTime();
            return ping;
        }

        /**
         * Takes the echo of the ping in flight and returns the next ping, to send at once, or {@code null} when this
         * was the last round trip or the echo was wrong; {@link #done()} then completes.
         */
        String next(String echo) {
            long took = System.nanoTime() - sentAt;
            try {
                verify(client, n, ping, echo);
            } catch (IllegalStateException e) {
                done.completeExceptionally(e);
                return null;
            }
            if (n >= warmup) {
                nanos[n - warmup] = took;
            }
            if (++n == warmup + nanos.length) {
                done.complete(nanos);
                return null;
            }
            ping = payload(n);
            sentAt = System.nanoTime();
            return ping;
        }

        /** Ends the run with {@code cause}, unless it is over: the connection failed or closed early. */
        void fail(Throwable cause) {
            done.completeExceptionally(cause);
        }

        /** Returns the number of round trips completed so far; read it on the I/O thread. */
        int completed() {
            return n;
        }

        /** Completes with the nanoseconds of the timed round trips, or fails with the reason the run ended early. */
        CompletableFuture<long[]> done() {
            return done;
        }
    }
}
