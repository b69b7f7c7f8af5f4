/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.bench.PingPong.Options;
import dev.tether.bench.PingPong.Result;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** Writes the ping-pong figures as a Markdown page. */
final class LatencyReport {
    private LatencyReport() {}

    /**
     * Returns the page: how to run it again, the machine, the method, and the figures.
     *
     * @param load the machine's load average over a minute before and after the run, in words
     */
    static String markdown(Options options, List<Result> results, String machine, String load) {
        StringBuilder page = new StringBuilder();
        page.append("# Latency\n\n")
                .append(
                        "Produced by `client-bench` (`dev.tether.bench.PingPong`); do not edit by hand, run it again:\n\n")
                .append("```sh\n./mvnw -B -ntp -q package -DskipTests\n")
                .append(String.format(
                        Locale.ROOT,
                        "java -cp client-bench/target/tether-bench.jar dev.tether.bench.PingPong --round-trips %d"
                                + " --warmup %d --reps %d --out %s\n```\n\n",
                        options.roundTrips(),
                        options.warmup(),
                        options.reps(),
                        options.out()))
                .append("Machine: ")
                .append(machine)
                .append("; load average (1 minute) ")
                .append(load)
                .append(".\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "Each client plays ping-pong with a Netty line echo server on loopback (epoll where"
                                + " available, one thread, `TCP_NODELAY`): a 64-byte line (63 ASCII bytes and an LF),"
                                + " one in flight at a time, each echo checked against its ping. Every client first"
                                + " plays %,d round trips untimed, to warm the JIT up. Then each run opens a fresh"
                                + " connection, plays %,d untimed round trips and %,d timed ones, each timed with"
                                + " `System.nanoTime()` from just before the send to just after the echo arrived;"
                                + " percentiles are nearest-rank over the run's round trips. The clients take turns in"
                                + " a rotating order, %d times; the figures are the median of each percentile over the"
                                + " %d runs. `x netty` is the ratio of the median p99 to the hand-written Netty"
                                + " client's. Every client sets `TCP_NODELAY` (Tether does by default). The tails"
                                + " move with whatever else the machine runs, most for the clients that wake a second"
                                + " thread on every round trip; the last table shows each run.\n\n",
                        options.warmup(),
                        options.warmup(),
                        options.roundTrips(),
                        options.reps(),
                        options.reps()))
                .append("- `tether-handler`: Tether with the README defaults (its own I/O thread, `Transport.AUTO`,"
                        + " `Framing.lines`); the `MessageHandler` checks the echo and sends the next ping itself,"
                        + " on the I/O thread, as a request-response client built around a handler does.\n")
                .append("- `tether-future`: the same client; a user thread sends each ping and waits on a"
                        + " `CompletableFuture` that the handler completes with the echo.\n")
                .append("- `tether-receive`: the same client without a handler; a user thread calls `send(ping)`,"
                        + " then `receive(Duration)`.\n")
                .append("- `netty`: the hand-written Netty client (`LineBasedFrameDecoder`, `StringDecoder`,"
                        + " `LineEncoder`), one I/O thread, on the transport Tether's AUTO picks; its handler sends"
                        + " the next ping from `channelRead`.\n")
                .append("- `blocking-socket`: `java.net.Socket`, one `write` of the line per ping,"
                        + " `BufferedReader.readLine()` for the echo, on the calling thread.\n\n");
        page.append("| client | transport | p50 µs | p99 µs | p99.9 µs | x netty (p99) |\n");
        page.append("|---|---|---:|---:|---:|---:|\n");
        for (Result result : results) {
            Latency median = result.median();
            page.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.1f | %.1f | %.1f | %s |\n",
                    result.client(),
                    result.transport(),
                    median.p50() / 1e3,
                    median.p99() / 1e3,
                    median.p999() / 1e3,
                    ratio(result, results)));
        }
        page.append(String.format(
                Locale.ROOT,
                "\nTarget: Tether's p99 at most %.1f times the hand-written Netty client's.\n",
                PingPong.TARGET_P99_RATIO));
        for (Result result : results) {
            PingPong.p99Ratio(result, results)
                    .filter(ratio -> result.client().startsWith("tether-"))
                    .ifPresent(ratio -> page.append(String.format(
                            Locale.ROOT,
                            "- `%s`: %.2f, %s\n",
                            result.client(),
                            ratio,
                            ratio <= PingPong.TARGET_P99_RATIO ? "met" : "missed")));
        }
        page.append("\n## Each run\n\n");
        page.append("| client | p50 µs | p99 µs | p99.9 µs |\n");
        page.append("|---|---|---|---|\n");
        for (Result result : results) {
            page.append("| ")
                    .append(result.client())
                    .append(" | ")
                    .append(each(result, Latency::p50))
                    .append(" | ")
                    .append(each(result, Latency::p99))
                    .append(" | ")
                    .append(each(result, Latency::p999))
                    .append(" |\n");
        }
        return page.toString();
    }

    private static String ratio(Result result, List<Result> results) {
        return PingPong.p99Ratio(result, results)
                .map(r -> String.format(Locale.ROOT, "%.2f", r))
                .orElse("-");
    }

    /** One percentile of each run, in the order run: {@code 21.3, 20.9, 22.0}. */
    private static String each(Result result, ToLongFunction<Latency> percentile) {
        return String.join(
                ", ",
                result.runs().stream()
                        .map(run -> String.format(Locale.ROOT, "%.1f", percentile.applyAsLong(run) / 1e3))
                        .toList());
    }
}
