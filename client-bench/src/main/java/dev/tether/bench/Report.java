/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import dev.tether.bench.SideBySide.Options;
import dev.tether.bench.SideBySide.Result;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Formats the figures: one line per client and workload for the console, and a Markdown page. */
final class Report {
    private Report() {}

    /**
     * The hand-written Netty client on the same transport; on epoll for clients without a Netty transport, and for
     * those on a transport Netty did not run on in this benchmark (Tether's AUTO picking io_uring, without
     * {@code --io-uring}).
     */
    static Optional<Result> nettyBaseline(Result result, List<Result> ofWorkload) {
        return netty(result.transport(), ofWorkload).or(() -> netty("epoll", ofWorkload));
    }

    private static Optional<Result> netty(String transport, List<Result> ofWorkload) {
        return ofWorkload.stream()
                .filter(r -> r.client().equals("netty") && r.transport().equals(transport))
                .findFirst();
    }

    static Optional<Result> limit(List<Result> ofWorkload) {
        return ofWorkload.stream().filter(r -> r.client().equals("raw-sink")).findFirst();
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

    /** {@code workload=lines-64 client=tether-strings transport=epoll msgs_per_s=... ratio_vs_netty=... ...}. */
    static String line(Result result, List<Result> ofWorkload) {
        return String.format(
                Locale.ROOT,
                "workload=%s client=%s transport=%s msgs_per_s=%.0f ratio_vs_netty=%s ratio_vs_limit=%s%s",
                result.workload().label(),
                result.client(),
                result.transport(),
                result.median(),
                ratio(result, nettyBaseline(result, ofWorkload)),
                ratio(result, limit(ofWorkload)),
                result.stalled() == 0 ? "" : " stalled=" + result.stalled() + "/" + result.runs());
    }

    static String markdown(Options options, List<Result> results, String slowConsumer, String machine) {
        StringBuilder page = new StringBuilder();
        page.append("# Benchmarks\n\n")
                .append(
                        "Produced by `client-bench` (`dev.tether.bench.SideBySide`); do not edit by hand, run it again:\n\n")
                .append("```sh\n./mvnw -B -ntp -q package -DskipTests\n")
                .append("java -jar client-bench/target/tether-bench.jar --out docs/benchmarks.md\n```\n\n")
                .append("Machine: ")
                .append(machine)
                .append(".\n\n")
                .append(String.format(
                        Locale.ROOT,
                        "Each client received about %d MiB of each workload (at least 250,000 messages, up to four times as"
                                + " much, so 1 GiB of 4 KiB messages) from a Netty feed server on loopback (epoll, one"
                                + " thread), once to warm up, then %d times, interleaved with the other clients in a"
                                + " rotating order. Every client checks that it received exactly the messages sent."
                                + " Figures are messages per second: the median, and the range over the %d runs."
                                + " `x netty` is the ratio of medians against the hand-written Netty client on the same"
                                + " transport (epoll for clients without a Netty transport); `x limit` against the raw"
                                + " byte sink, which reads and counts bytes and nothing else.\n\n",
                        options.megabytes(),
                        options.reps(),
                        options.reps()));
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
        for (var workload : options.workloads()) {
            List<Result> ofWorkload =
                    results.stream().filter(r -> r.workload() == workload).toList();
            page.append("## ").append(workload.label()).append("\n\n");
            page.append("| client | transport | median msgs/s | min–max msgs/s | x netty | x limit |\n");
            page.append("|---|---|---:|---:|---:|---:|\n");
            for (Result result : ofWorkload) {
                page.append(row(result, ofWorkload));
            }
            page.append('\n');
        }
        page.append(slowConsumer);
        return page.toString();
    }

    /** One row of a workload's table; a client's stalls are told in its range cell. */
    static String row(Result result, List<Result> ofWorkload) {
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
                "| %s | %s | %s | %s | %s | %s |\n",
                result.client(),
                result.transport(),
                median,
                range,
                ratio(result, nettyBaseline(result, ofWorkload)),
                ratio(result, limit(ofWorkload)));
    }
}
