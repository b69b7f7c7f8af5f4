/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ClientStats;
import dev.tether.ConnectionState;
import dev.tether.ConnectionStats;
import dev.tether.Stats;
import dev.tether.Transport;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The immutable snapshots behind {@link ConnectionStats} and {@link ClientStats}: counts copied out, levels read. */
abstract class StatsSnapshot implements Stats {
    private final long[] values;
    private final Levels levels;

    /** The levels of a snapshot: what is waiting now, as opposed to what was counted. */
    record Levels(long inboxMessages, long inboxBytes, long bufferedSends, long pendingWriteBytes) {
        static final Levels NONE = new Levels(0, 0, 0, 0);

        Levels plus(Levels other) {
            return new Levels(
                    inboxMessages + other.inboxMessages,
                    inboxBytes + other.inboxBytes,
                    bufferedSends + other.bufferedSends,
                    pendingWriteBytes + other.pendingWriteBytes);
        }
    }

    StatsSnapshot(long[] values, Levels levels) {
        this.values = values;
        this.levels = levels;
    }

    @Override
    public long messagesReceived() {
        return values[Counters.MESSAGES_IN];
    }

    @Override
    public long bytesReceived() {
        return values[Counters.BYTES_IN];
    }

    @Override
    public long messagesSent() {
        return values[Counters.MESSAGES_OUT];
    }

    @Override
    public long bytesSent() {
        return values[Counters.BYTES_OUT];
    }

    @Override
    public long framesDropped() {
        return Counters.totalDropped(values);
    }

    @Override
    public long framesDropped(DropReason reason) {
        return values[Counters.dropped(Objects.requireNonNull(reason, "reason"))];
    }

    @Override
    public long connects() {
        return values[Counters.CONNECTS];
    }

    @Override
    public long reconnects() {
        return values[Counters.RECONNECTS];
    }

    @Override
    public long failedConnects() {
        return values[Counters.FAILED_CONNECTS];
    }

    @Override
    public long disconnects() {
        return Counters.totalDisconnects(values);
    }

    @Override
    public long disconnects(DisconnectCause cause) {
        return values[Counters.disconnects(Objects.requireNonNull(cause, "cause"))];
    }

    @Override
    public long inboxMessages() {
        return levels.inboxMessages();
    }

    @Override
    public long inboxBytes() {
        return levels.inboxBytes();
    }

    @Override
    public long bufferedSends() {
        return levels.bufferedSends();
    }

    @Override
    public long pendingWriteBytes() {
        return levels.pendingWriteBytes();
    }

    @Override
    public Optional<Instant> lastMessageReceivedAt() {
        return instant(values[Counters.LAST_MESSAGE_MILLIS]);
    }

    static Optional<Instant> instant(long epochMillis) {
        return epochMillis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(epochMillis));
    }

    /** The counts and levels, as both kinds of snapshot print them. */
    String counts() {
        return "messagesReceived=" + messagesReceived() + ", bytesReceived=" + bytesReceived() + ", messagesSent="
                + messagesSent() + ", bytesSent=" + bytesSent() + ", framesDropped=" + framesDropped() + ", connects="
                + connects() + ", reconnects=" + reconnects() + ", failedConnects=" + failedConnects()
                + ", disconnects=" + disconnects() + ", inboxMessages=" + inboxMessages() + ", bufferedSends="
                + bufferedSends() + ", pendingWriteBytes=" + pendingWriteBytes();
    }

    /** One connection's snapshot. */
    static final class OfConnection extends StatsSnapshot implements ConnectionStats {
        private final String id;
        private final ConnectionState state;
        private final long connectedSinceMillis; // 0: not connected
        private final InetSocketAddress remoteAddress;
        private final Transport transport;

        OfConnection(
                long[] values,
                Levels levels,
                String id,
                ConnectionState state,
                long connectedSinceMillis,
                InetSocketAddress remoteAddress,
                Transport transport) {
            super(values, levels);
            this.id = id;
            this.state = state;
            this.connectedSinceMillis = connectedSinceMillis;
            this.remoteAddress = remoteAddress;
            this.transport = transport;
        }

        @Override
        public String connectionId() {
            return id;
        }

        @Override
        public ConnectionState state() {
            return state;
        }

        @Override
        public Optional<Instant> connectedSince() {
            return instant(connectedSinceMillis);
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remoteAddress;
        }

        @Override
        public Transport transport() {
            return transport;
        }

        @Override
        public String toString() {
            return "ConnectionStats{" + id + ", " + state + ", " + counts() + "}";
        }
    }

    /** A client's snapshot. */
    static final class OfClient extends StatsSnapshot implements ClientStats {
        private final String name;
        private final int open;
        private final int connected;

        OfClient(long[] values, Levels levels, String name, int open, int connected) {
            super(values, levels);
            this.name = name;
            this.open = open;
            this.connected = connected;
        }

        @Override
        public String clientName() {
            return name;
        }

        @Override
        public int openConnections() {
            return open;
        }

        @Override
        public int connectedConnections() {
            return connected;
        }

        @Override
        public String toString() {
            return "ClientStats{" + name + ", openConnections=" + open + ", connected=" + connected + ", " + counts()
                    + "}";
        }
    }
}
