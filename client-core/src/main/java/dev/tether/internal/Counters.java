/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.Stats.DisconnectCause;
import dev.tether.Stats.DropReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counts behind {@link dev.tether.Stats}: one writer, any number of readers. A connection's counts are written
 * on its event loop only, so an increment needs no atomic read-modify-write; they are read and written as opaque
 * values, which any thread sees whole and soon, at the cost of a plain store on the I/O thread.
 */
final class Counters {
    static final int MESSAGES_IN = 0;
    static final int BYTES_IN = 1;
    static final int MESSAGES_OUT = 2;
    static final int BYTES_OUT = 3;
    static final int CONNECTS = 4;
    static final int RECONNECTS = 5;
    static final int FAILED_CONNECTS = 6;
    /** The last message's arrival, in epoch milliseconds; 0: none yet. Not a count: never summed. */
    static final int LAST_MESSAGE_MILLIS = 7;

    private static final int DROPPED = 8; // one per DropReason
    private static final int DISCONNECTS = DROPPED + DropReason.values().length; // one per DisconnectCause
    static final int SIZE = DISCONNECTS + DisconnectCause.values().length;

    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values = new long[SIZE];

    static int dropped(DropReason reason) {
        return DROPPED + reason.ordinal();
    }

    static int disconnects(DisconnectCause cause) {
        return DISCONNECTS + cause.ordinal();
    }

    /** Adds {@code n}; only ever on the one writing thread. */
    void add(int index, long n) {
        VALUES.setOpaque(values, index, (long) VALUES.getOpaque(values, index) + n);
    }

    /** Sets a value that is not a count; only ever on the one writing thread. */
    void set(int index, long value) {
        VALUES.setOpaque(values, index, value);
    }

    /** Reads one value, from any thread. */
    long get(int index) {
        return (long) VALUES.getOpaque(values, index);
    }

    /** Adds these values, read from any thread, into {@code into}; of the two last-message times the later is kept. */
    void addTo(long[] into) {
        for (int i = 0; i < SIZE; i++) {
            long value = get(i);
            into[i] = i == LAST_MESSAGE_MILLIS ? Math.max(into[i], value) : into[i] + value;
        }
    }

    /** The sum of the drop counts in {@code values}. */
    static long totalDropped(long[] values) {
        return sum(values, DROPPED, DropReason.values().length);
    }

    /** The sum of the disconnect counts in {@code values}. */
    static long totalDisconnects(long[] values) {
        return sum(values, DISCONNECTS, DisconnectCause.values().length);
    }

    private static long sum(long[] values, int from, int count) {
        long total = 0;
        for (int i = from; i < from + count; i++) {
            total += values[i];
        }
        return total;
    }
}
