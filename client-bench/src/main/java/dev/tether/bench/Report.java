/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.bench.SideBySide.Options;
import dev.tether.bench.SideBySide.Result;
import io.netty.handler.ssl.OpenSsl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Formats the figures: one line per client and workload for the console, and a Markdown page. */
final class Report {
    private Report() {}

    /**
     * The hand-written Netty client on the same transport, over the same TLS provider or plain TCP; on epoll for
     * clients without a Netty transport, and for those on a transport Netty did not run on in this benchmark
     * (Tether's AUTO picking io_uring, without {@code --io-uring}).
     */
    static Optional<Result> nettyBaseline(Result result, List<Result> ofWorkload) {
        return netty(result.transport(), result.tls(), ofWorkload)
                .or(() -> netty("epoll", result.tls(), ofWorkload))
                .or(() -> netty("nio", result.tls(), ofWorkload)); // where epoll is not available
    }

    private static Optional<Result> netty(String transport, String tls, List<Result> ofWorkload) {
        return ofWorkload.stream()
                .filter(r -> r.client().equals("netty")
                        && r.transport().equals(transport)
                        && r.tls().equals(tls))
                .findFirst();
    }

    /** Tether's plain strings handler on the same transport and TLS provider: what statistics are measured against. */
    static Optional<Result> stringsBaseline(Result result, List<Result> ofWorkload) {
        return ofWorkload.stream()
                .filter(r -> r.client().equals("tether-strings")
                        && r.transport().equals(result.transport())
                        && r.tls().equals(result.tls()))
                .findFirst();
    }

    /** The raw byte sink over plain TCP; over TLS, the TLS sink on the same provider. */
    static Optional<Result> limit(Result result, List<Result> ofWorkload) {
        String sink = result.tls().isEmpty() ? "raw-sink" : "tls-sink";
        return ofWorkload.stream()
                .filter(r -> r.client().equals(sink) && r.tls().equals(result.tls()))
                .findFirst();
    }

    private static String ratio(Result result, Optional<Result> baseline) {
        return baseline.filter(b -> !b.rates().isEmpty() && !result.rates().isEmpty())
                .map(b -> String.format(Locale.ROOT, "%.2f", result.median() / b.median()))
                .orElse("-");
    }

    /** {@code stalled 1 of 6}, or empty if every run ended. */
    static String stalls(Result result) {
        return result.stalled() == 0
                ? ""
                : String.format(Locale.ROOT, "stalled %d of %d", result.stalled(), result.runs());
    }

    /**
     * {@code workload=lines-64 client=tether-strings transport=epoll msgs_per_s=... ratio_vs_netty=... ...}, with
     * {@code tls=jdk} after the transport over TLS.
     */
    static String line(Result result, List<Result> ofWorkload) {
        return String.format(
                Locale.ROOT,
                "workload=%s client=%s transport=%s%s msgs_per_s=%.0f ratio_vs_netty=%s ratio_vs_limit=%s%s",
                result.workload().label(),
                result.client(),
                result.transport(),
                result.tls().isEmpty() ? "" : " tls=" + result.tls(),
                result.median(),
                ratio(result, nettyBaseline(result, ofWorkload)),
                ratio(result, limit(result, ofWorkload)),
                result.stalled() == 0 ? "" : " stalled=" + result.stalled() + "/" + result.runs());
    }

    /** The command that wrote a page: this run's options, as given. */
    static String command(Options options) {
        return "```sh\n./mvnw -B -ntp -q package -DskipTests\n"
                + "java -jar client-bench/target/tether-bench.jar"
                + options.args().stream().map(arg -> " " + arg).collect(Collectors.joining())
                + "\n```\n\n";
    }

    static String markdown(Options options, List<Result> results, String slowConsumer, String machine) {
        StringBuilder page = new StringBuilder();
        page.append(options.metrics() ? "# Benchmarks: the cost of statistics\n\n" : "# Benchmarks\n\n")
                .append(
                        "Produced by `client-bench` (`dev.tether.bench.SideBySide`); do not edit by hand, run it again:\n\n")
                .append(command(options))
                .append("Machine: ")
                .append(machine)
                .append(".\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "Each client received about %d MiB of each workload (at least 250,000 messages, up to four times as"
                                + " much, so 1 GiB of 4 KiB messages) from a Netty feed server on loopback (epoll, one"
                                + " thread), %s, interleaved with the other clients in a"
                                + " rotating order. Every client checks that it received exactly the messages sent."
                                + " Figures are messages per second: the median, and the range over the %d runs."
                                + " `x netty` is the ratio of medians against the hand-written Netty client on the same"
                                + " transport (epoll for clients without a Netty transport); `x limit` against the raw"
                                + " byte sink, which reads and counts bytes and nothing else.\n\n",
                        options.megabytes(),
                        options.fork()
                                ? "in " + options.reps() + " fresh JVM" + (options.reps() == 1 ? "" : "s")
                                        + " (see below)"
                                : "once to warm up, then " + times(options.reps()),
                        options.reps()));
        page.append("Tether and the hand-written Netty client over TLS, on the JDK's provider and on OpenSSL:"
                + " [benchmarks-tls.md](benchmarks-tls.md) (`--tls`). What reading Tether's statistics costs:"
                + " [benchmarks-metrics.md](benchmarks-metrics.md) (`--metrics`).\n\n");
        if (options.metrics()) {
            page.append("`tether-stats` is `tether-strings` while another thread reads `client.stats()` and the"
                    + " connection's `stats()` every 100 ms and formats them as a progress line; `tether-metrics` is"
                    + " `tether-strings` built with `.metrics(TetherMetrics.of(registry))` on a"
                    + " `PrometheusMeterRegistry` that another thread scrapes every second. Both check at the end of"
                    + " each run that `stats().messagesReceived()` equals what the handler counted. `x strings` is the"
                    + " ratio of medians against `tether-strings` on the same transport, in the same run.\n\n");
        }
        page.append(modes(options));
        for (var workload : options.workloads()) {
            List<Result> ofWorkload =
                    results.stream().filter(r -> r.workload() == workload).toList();
            page.append("## ").append(workload.label()).append("\n\n");
            page.append("| client | transport | median msgs/s | min–max msgs/s |"
                    + (options.metrics() ? " x strings |" : "") + " x netty | x limit |\n");
            page.append("|---|---|---:|---:|" + (options.metrics() ? "---:|" : "") + "---:|---:|\n");
            for (Result result : ofWorkload) {
                page.append(row(result, ofWorkload, options.metrics()));
            }
            page.append('\n');
        }
        page.append(slowConsumer);
        return page.toString();
    }

    /** {@code once}, {@code twice} or {@code n times}. */
    static String times(int n) {
        return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }

    /** What the stall deadline, {@code --fork} or {@code --cold}, and {@code --io-uring} mean, as a page says it. */
    private static String modes(Options options) {
        StringBuilder page = new StringBuilder();
        page.append(String.format(
                Locale.ROOT,
                "A run that has not ended within %d s is stalled: its client is closed, its row says how many of its"
                        + " runs (the warm-up included) stalled, and its figures are over the runs that ended.\n\n",
                options.runTimeout().toSeconds()));
        if (options.fork()) {
            page.append(
                    options.cold()
                            ? "Forked and cold (`--cold`): each run is a fresh JVM with this one's flags that receives the feed"
                                    + " once, timed, so the JIT compiles during the run, as at a program's start."
                            : "Forked (`--fork`): each run is a fresh JVM with this one's flags, which receives the feed once"
                                    + " to warm up and once timed.");
            page.append(" Each client is set up as its first example would be: Tether on the README's defaults (its"
                    + " own I/O thread, `Transport.AUTO`; the transport column says what it picked), the hand-written"
                    + " Netty client with a group of its own. The runner's own warm-up run above does not happen.\n\n");
        }
        if (options.ioUring()) {
            page.append("The io_uring rows run with Netty's multishot polls off, which Tether requires of io_uring (see"
                    + " `Transport.IO_URING`), for the hand-written Netty client too.\n\n");
        }
        return page.toString();
    }

    /**
     * The page of {@code --tls}: how the rows were made, the handshakes the feed server saw ({@code sessions}, by
     * provider), Tether against the Netty client in one table, then each workload's rows.
     */
    static String tlsMarkdown(
            Options options, List<Result> results, Map<String, Set<String>> sessions, String machine) {
        StringBuilder page = new StringBuilder();
        page.append("# Benchmarks over TLS\n\n")
                .append(
                        "Produced by `client-bench` (`dev.tether.bench.SideBySide --tls`); do not edit by hand, run it again:\n\n")
                .append(command(options))
                .append("Machine: ")
                .append(machine)
                .append(".\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "The clients of [benchmarks.md](benchmarks.md) over TLS, on each provider: Tether with a handler"
                                + " (`tether-strings`) and the hand-written Netty client (`netty`). Each received about"
                                + " %d MiB of each workload (at least 250,000 messages, up to four times as much) from"
                                + " the same Netty feed server on loopback (epoll, one thread), which speaks TLS here: a"
                                + " server `SslHandler` first in its pipeline, from `SslContextBuilder.forServer` on the"
                                + " provider of the rows, with a certificate for 127.0.0.1 issued by a certificate"
                                + " authority made at the start of the run (the test kit's `TestCertificates`, EC"
                                + " P-256). Both clients trust that authority alone and check the server's name the same"
                                + " way: Tether with `Tls.trustStore(store).withProvider(...)`; the Netty client with"
                                + " `SslContextBuilder.forClient().sslProvider(...).trustManager(...)` over the same"
                                + " store, its `SslHandler` first in the pipeline, from `newHandler(alloc, \"127.0.0.1\","
                                + " port)` with the \"HTTPS\" endpoint identification Tether sets (no SNI for an IP"
                                + " address, for either). Each client received each workload %s,"
                                + " interleaved with the other clients in a rotating order; a run is timed from"
                                + " the start of its connect, the handshake included, to the server's close. Every"
                                + " client checks that it received exactly the messages sent. Figures are messages per"
                                + " second: the median, and the range over the %d runs. `x netty` is the ratio of"
                                + " medians against the hand-written Netty client on the same provider and transport;"
                                + " `x limit` against `tls-sink` on the same provider: the Netty client's connection"
                                + " and `SslHandler` with a handler that counts the decrypted bytes and nothing else,"
                                + " which shows what the server's encryption and the client's decryption leave for"
                                + " framing and decoding. The server encrypts on one core and the client decrypts on"
                                + " the other; where `tls-sink` is not much faster than the clients, the connection,"
                                + " not the client, sets the pace, and ratios near 1 say little.\n\n",
                        options.megabytes(),
                        options.fork()
                                ? "in " + options.reps() + " fresh JVM" + (options.reps() == 1 ? "" : "s")
                                        + " (see below)"
                                : "once to warm up, then " + times(options.reps()),
                        options.reps()));
        page.append(modes(options));
        page.append("Handshakes, as the feed server saw every connection of the run:\n\n");
        sessions.forEach((provider, seen) -> page.append("- ")
                .append(provider)
                .append(provider.equals("openssl") ? " (" + OpenSsl.versionString() + ")" : "")
                .append(": ")
                .append(seen.isEmpty() ? "none" : String.join(", ", seen))
                .append('\n'));
        page.append('\n');
        page.append(tlsSummary(options, results));
        for (var workload : options.workloads()) {
            List<Result> ofWorkload =
                    results.stream().filter(r -> r.workload() == workload).toList();
            page.append("## ").append(workload.label()).append("\n\n");
            page.append("| client | TLS | transport | median msgs/s | min–max msgs/s | x netty | x limit |\n");
            page.append("|---|---|---|---:|---:|---:|---:|\n");
            for (Result result : ofWorkload) {
                page.append(tlsRow(result, ofWorkload));
            }
            page.append('\n');
        }
        return page.toString();
    }

    /**
     * Tether's handler against the hand-written Netty client, workload by workload and provider by provider, and
     * every row where Tether's median is below the Netty client's, with both figures.
     */
    static String tlsSummary(Options options, List<Result> results) {
        List<String> providers = results.stream()
                .map(Result::tls)
                .distinct()
                .filter(t -> !t.isEmpty())
                .toList();
        List<Result> tether = results.stream()
                .filter(r -> r.client().equals("tether-strings") && !r.tls().isEmpty())
                .toList();
        StringBuilder page = new StringBuilder("## Tether against the Netty client\n\n");
        page.append("`tether-strings` `x netty`, by workload and provider (transport in brackets):\n\n| workload |");
        providers.forEach(p -> page.append(' ').append(p).append(" |"));
        page.append("\n|---|");
        providers.forEach(p -> page.append("---:|"));
        page.append('\n');
        List<String> below = new ArrayList<>();
        for (var workload : options.workloads()) {
            List<Result> ofWorkload =
                    results.stream().filter(r -> r.workload() == workload).toList();
            page.append("| ").append(workload.label()).append(" |");
            for (String provider : providers) {
                List<String> cells = new ArrayList<>();
                for (Result result : tether) {
                    if (result.workload() != workload || !result.tls().equals(provider)) {
                        continue;
                    }
                    Optional<Result> netty = nettyBaseline(result, ofWorkload);
                    cells.add(ratio(result, netty) + " (" + result.transport() + ")");
                    if (netty.isPresent()
                            && !result.rates().isEmpty()
                            && !netty.get().rates().isEmpty()
                            && result.median() < netty.get().median()) {
                        below.add(String.format(
                                Locale.ROOT,
                                "%s over %s on %s: %s (%,.0f against %,.0f msgs/s)",
                                workload.label(),
                                provider,
                                result.transport(),
                                ratio(result, netty),
                                result.median(),
                                netty.get().median()));
                    }
                }
                page.append(' ')
                        .append(cells.isEmpty() ? "-" : String.join(", ", cells))
                        .append(" |");
            }
            page.append('\n');
        }
        page.append('\n');
        page.append(
                below.isEmpty()
                        ? "Tether's median is at or above the Netty client's on every workload and provider of this run.\n\n"
                        : "Tether's median is below the Netty client's on: " + String.join("; ", below) + ".\n\n");
        return page.toString();
    }

    /** One row of a workload's table over TLS: the row of {@link #row} with the provider after the client. */
    static String tlsRow(Result result, List<Result> ofWorkload) {
        String row = row(result, ofWorkload);
        int afterClient = row.indexOf(" | ", 1);
        return row.substring(0, afterClient) + " | " + result.tls() + row.substring(afterClient);
    }

    /** One row of a workload's table; a client's stalls are told in its range cell. */
    static String row(Result result, List<Result> ofWorkload) {
        return row(result, ofWorkload, false);
    }

    /** The same, with the ratio against {@code tether-strings} on the same transport before Netty's if {@code strings}. */
    static String row(Result result, List<Result> ofWorkload, boolean strings) {
        String stalls = stalls(result);
        String median = "-";
        String range = stalls;
        if (!result.rates().isEmpty()) {
            median = String.format(Locale.ROOT, "%,.0f", result.median());
            range = String.format(Locale.ROOT, "%,.0f–%,.0f", result.min(), result.max())
                    + (stalls.isEmpty() ? "" : ", " + stalls);
        }
        return String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s%s | %s |\n",
                result.client(),
                result.transport(),
                median,
                range,
                strings ? ratio(result, stringsBaseline(result, ofWorkload)) + " | " : "",
                ratio(result, nettyBaseline(result, ofWorkload)),
                ratio(result, limit(result, ofWorkload)));
    }
}
