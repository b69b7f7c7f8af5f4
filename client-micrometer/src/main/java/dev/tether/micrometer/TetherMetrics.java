/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.micrometer;

import dev.tether.ClientStats;
import dev.tether.Connection;
import dev.tether.MetricsRecorder;
import dev.tether.Stats;
import dev.tether.TetherClient;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Binds Tether clients to a Micrometer {@link MeterRegistry}: set it as the client's
 * {@linkplain dev.tether.ClientConfig.Builder#metrics(MetricsRecorder) metrics recorder}, and every client made with
 * that config registers its meters when it is created.
 *
 * <pre>{@code
 * ClientConfig<String> config = ClientConfig.builder()
 *         .remoteAddress("127.0.0.1", 9000)
 *         .name("quotes")
 *         .metrics(TetherMetrics.of(registry))
 *         .build();
 * }</pre>
 *
 * <p>The meters (Prometheus's names in brackets): {@code tether.connections.open} gauge
 * ({@code tether_connections_open}); {@code tether.connects} counter, tag {@code outcome} = {@code success} or
 * {@code failure} ({@code tether_connects_total}); {@code tether.reconnects}; {@code tether.messages.received},
 * {@code tether.messages.sent}, {@code tether.bytes.received}, {@code tether.bytes.sent} counters;
 * {@code tether.frames.dropped} counter, tag {@code reason} ({@link Stats.DropReason#tag()});
 * {@code tether.disconnects} counter, tag {@code cause} ({@link Stats.DisconnectCause#tag()});
 * {@code tether.inbox.messages} and {@code tether.sends.buffered} gauges; {@code tether.last.message.received.time}
 * ({@code tether_last_message_received_time_seconds}), when the last message arrived, in seconds since the epoch (0
 * before the first: {@code time() - tether_last_message_received_time_seconds} is how long the stream has been
 * quiet); {@code tether.connect.duration} timer
 * (from the start of an attempt to its end, the TLS handshake and the on-connect hook included), tag
 * {@code outcome}.
 *
 * <p>Every meter carries the tag {@code client}, the client's {@linkplain dev.tether.ClientConfig#name() name},
 * and no tag names a connection, a port or an address: the number of time series is fixed when the client is
 * created, however many connections come and go. Every tag value is registered up front (a counter at zero says
 * "none yet"). Counts and levels are read from {@link TetherClient#stats()} when the registry is scraped, so the
 * I/O threads do no Micrometer work per message; clients of the same name share their meters, and their counts
 * add up, those of closed clients included, so counters never go down.
 *
 * <p>With {@link #withObservations(ObservationRegistry)} each connect attempt is also an {@link Observation}
 * named {@code tether.connect}, with one child per phase: {@code tether.connect.resolve}, {@code .tcp},
 * {@code .proxy}, {@code .tls}, {@code .hook} (those the attempt goes through), for tracing; each carries the key
 * {@code client}. An observation handler that makes meters (Micrometer's {@code DefaultMeterObservationHandler}, as
 * Spring Boot installs) turns them into timers of those names too, beside {@code tether.connect.duration}.
 *
 * <p>Client names should be a bounded set, as they are when each is a configured client: the meters of a name stay
 * in the registry after its clients close, so that their counts never go down.
 *
 * <p>Use one instance per registry (and those {@link #withObservations} derives from it); it is thread-safe and may
 * serve any number of clients. A second {@link #of} on the same registry registers meters the registry already has
 * and so gets the first's: clients of a name the first one counts would go uncounted.
 *
 * @since 0.1
 */
public final class TetherMetrics implements MetricsRecorder {
    private final MeterRegistry registry;
    private final ObservationRegistry observations; // null: none
    /**
     * The meters of each client name; shared with the recorders {@link #withObservations} derives, because the
     * registry hands a second registration of a meter the first one, which would read only the first map's clients.
     */
    private final Map<String, ClientMeters> clients;

    private TetherMetrics(MeterRegistry registry, ObservationRegistry observations, Map<String, ClientMeters> clients) {
        this.registry = registry;
        this.observations = observations;
        this.clients = clients;
    }

    /**
     * Returns a recorder that registers the meters of each client made with it in {@code registry}.
     *
     * @param registry where the meters go
     * @return the recorder
     */
    public static TetherMetrics of(MeterRegistry registry) {
        return new TetherMetrics(Objects.requireNonNull(registry, "registry"), null, new ConcurrentHashMap<>());
    }

    /**
     * Returns a recorder that also observes each connect attempt in {@code observations}. It shares this one's
     * meters: clients of one name count together whichever of the two they were made with.
     *
     * @param observations where the observations go
     * @return a new recorder with the same registry and meters
     */
    public TetherMetrics withObservations(ObservationRegistry observations) {
        return new TetherMetrics(registry, Objects.requireNonNull(observations, "observations"), clients);
    }

    @Override
    public void clientCreated(TetherClient<?> client) {
        String name = client.config().name();
        clients.computeIfAbsent(name, ClientMeters::new).add(client);
    }

    @Override
    public void clientClosed(TetherClient<?> client) {
        ClientMeters meters = clients.get(client.config().name());
        if (meters != null) {
            meters.retire(client);
        }
    }

    @Override
    public ConnectAttempt connectStarted(String clientName, Connection<?> connection, InetSocketAddress endpoint) {
        ClientMeters meters = clients.get(clientName);
        if (meters == null) { // a recorder set on a connection's client always heard of the client first
            return ConnectAttempt.NONE;
        }
        return new Attempt(meters, connection, endpoint);
    }

    @Override
    public String toString() {
        return "TetherMetrics{" + registry.getClass().getSimpleName()
                + (observations == null ? "" : ", with observations") + "}";
    }

    /**
     * A count every client keeps, as a Micrometer counter: the counts of live clients plus those retired. No base
     * unit: Prometheus would append it to the name ({@code tether_messages_received_messages_total}), and the names
     * are a contract.
     */
    private record CounterSpec(String name, Tags tags, String description, ToLongFunction<Stats> count) {}

    private static List<CounterSpec> counters() {
        List<CounterSpec> specs = new ArrayList<>();
        specs.add(new CounterSpec(
                "tether.messages.received",
                Tags.empty(),
                "Messages decoded and handed to the handler or the inbox",
                Stats::messagesReceived));
        specs.add(new CounterSpec(
                "tether.messages.sent", Tags.empty(), "Messages written to the socket", Stats::messagesSent));
        specs.add(new CounterSpec(
                "tether.bytes.received",
                Tags.empty(),
                "Bytes read from the connections, before framing",
                Stats::bytesReceived));
        specs.add(new CounterSpec(
                "tether.bytes.sent", Tags.empty(), "Bytes of the messages written, framed", Stats::bytesSent));
        specs.add(new CounterSpec(
                "tether.connects", Tags.of("outcome", "success"), "Connect attempts, by outcome", Stats::connects));
        specs.add(new CounterSpec(
                "tether.connects",
                Tags.of("outcome", "failure"),
                "Connect attempts, by outcome",
                Stats::failedConnects));
        specs.add(new CounterSpec(
                "tether.reconnects", Tags.empty(), "Connects that followed a lost connection", Stats::reconnects));
        for (Stats.DropReason reason : Stats.DropReason.values()) {
            specs.add(new CounterSpec(
                    "tether.frames.dropped",
                    Tags.of("reason", reason.tag()),
                    "Inbound frames dropped, by reason; the connection stayed open",
                    stats -> stats.framesDropped(reason)));
        }
        for (Stats.DisconnectCause cause : Stats.DisconnectCause.values()) {
            specs.add(new CounterSpec(
                    "tether.disconnects",
                    Tags.of("cause", cause.tag()),
                    "Connected channels that went down, by cause",
                    stats -> stats.disconnects(cause)));
        }
        return List.copyOf(specs);
    }

    private static final List<CounterSpec> COUNTERS = counters();

    /** The meters of the clients of one name, and the counts of those that closed. */
    private final class ClientMeters {
        private final Set<TetherClient<?>> live = ConcurrentHashMap.newKeySet();
        private final long[] retired = new long[COUNTERS.size()];
        private long retiredLastMessageMillis; // guarded by this
        private final Timer connectedTimer;
        private final Timer failedTimer;
        private final String name;
        private final Tags tags;

        ClientMeters(String name) {
            this.name = name;
            this.tags = Tags.of("client", name);
            for (int i = 0; i < COUNTERS.size(); i++) {
                CounterSpec spec = COUNTERS.get(i);
                int index = i;
                FunctionCounter.builder(spec.name(), this, meters -> meters.count(index))
                        .tags(tags.and(spec.tags()))
                        .description(spec.description())
                        .register(registry);
            }
            gauge("tether.connections.open", "Connections open: connected or reconnecting", s -> s.openConnections());
            gauge("tether.inbox.messages", "Messages waiting in inboxes", ClientStats::inboxMessages);
            gauge("tether.sends.buffered", "Sends waiting for a connection", ClientStats::bufferedSends);
            TimeGauge.builder(
                            "tether.last.message.received.time",
                            this,
                            TimeUnit.MILLISECONDS,
                            ClientMeters::lastMessageMillis)
                    .tags(tags)
                    .description("When the last message arrived, since the epoch; 0 before the first")
                    .register(registry);
            connectedTimer = timer("success");
            failedTimer = timer("failure");
        }

        /** A level summed over the live clients; no base unit, for the same reason as the counters. */
        private void gauge(String name, String description, ToLongFunction<ClientStats> level) {
            Gauge.builder(name, this, meters -> meters.level(level))
                    .tags(tags)
                    .description(description)
                    .strongReference(true)
                    .register(registry);
        }

        private Timer timer(String outcome) {
            return Timer.builder("tether.connect.duration")
                    .tags(tags.and("outcome", outcome))
                    .description("Connect attempts from start to end: resolve, TCP, proxy, TLS, on-connect hook")
                    .register(registry);
        }

        void add(TetherClient<?> client) {
            live.add(client);
        }

        /** A client closed: its final counts join the retired ones, in one step for {@link #count}. */
        synchronized void retire(TetherClient<?> client) {
            if (!live.remove(client)) {
                return;
            }
            ClientStats last = client.stats();
            retiredLastMessageMillis = Math.max(retiredLastMessageMillis, millis(last));
            for (int i = 0; i < retired.length; i++) {
                retired[i] += COUNTERS.get(i).count().applyAsLong(last);
            }
        }

        synchronized double count(int index) {
            ToLongFunction<Stats> count = COUNTERS.get(index).count();
            long sum = retired[index];
            for (TetherClient<?> client : live) {
                sum += count.applyAsLong(client.stats());
            }
            return sum;
        }

        /** The latest last-message time of the clients of this name, closed ones included; 0 if none had one. */
        synchronized double lastMessageMillis() {
            long latest = retiredLastMessageMillis;
            for (TetherClient<?> client : live) {
                latest = Math.max(latest, millis(client.stats()));
            }
            return latest;
        }

        private static long millis(Stats stats) {
            return stats.lastMessageReceivedAt().map(Instant::toEpochMilli).orElse(0L);
        }

        double level(ToLongFunction<ClientStats> level) {
            long sum = 0;
            for (TetherClient<?> client : live) {
                sum += level.applyAsLong(client.stats());
            }
            return sum;
        }
    }

    /** One connect attempt: its timer sample and, when asked for, its observations. */
    private final class Attempt implements ConnectAttempt {
        private final ClientMeters meters;
        private final Timer.Sample sample;
        private final Observation connect; // null: no observations
        private Observation phase; // the current phase's, or null

        Attempt(ClientMeters meters, Connection<?> connection, InetSocketAddress endpoint) {
            this.meters = meters;
            this.sample = Timer.start(registry);
            if (observations == null) {
                this.connect = null;
                return;
            }
            this.connect = Observation.createNotStarted("tether.connect", observations)
                    .lowCardinalityKeyValue("client", meters.name)
                    .highCardinalityKeyValue("tether.connection", connection.id())
                    .highCardinalityKeyValue("tether.endpoint", hostAndPort(endpoint))
                    .start();
            phase(Phase.RESOLVE);
        }

        @Override
        public void phase(Phase next) {
            if (connect == null) {
                return;
            }
            if (phase != null) {
                phase.stop();
            }
            phase = Observation.createNotStarted("tether.connect." + next.tag(), observations)
                    .parentObservation(connect)
                    .lowCardinalityKeyValue("client", meters.name)
                    .start();
        }

        @Override
        public void succeeded() {
            sample.stop(meters.connectedTimer);
            end(null);
        }

        @Override
        public void failed(Throwable error) {
            sample.stop(meters.failedTimer);
            end(error);
        }

        private void end(Throwable error) {
            if (connect == null) {
                return;
            }
            if (phase != null) {
                if (error != null) {
                    phase.error(error);
                }
                phase.stop();
            }
            connect.lowCardinalityKeyValue("outcome", error == null ? "success" : "failure");
            if (error != null) {
                connect.error(error);
            }
            connect.stop();
        }
    }

    private static String hostAndPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
