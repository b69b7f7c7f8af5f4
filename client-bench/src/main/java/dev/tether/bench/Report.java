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

    /** The hand-written Netty client on the same transport; on epoll for clients without a Netty transport. */
    static Optional<Result> nettyBaseline(Result result, List<Result> ofWorkload) {
        String transport = result.transport().equals("-") ? "epoll" : result.transport();
        return ofWorkload.stream()
                .filter(r -> r.client().equals("netty") && r.transport().equals(transport))
                .findFirst();
    }

    static Optional<Result> limit(List<Result> ofWorkload) {
        return ofWorkload.stream().filter(r -> r.client().equals("raw-sink")).findFirst();
    }

    private static String ratio(Result result, Optional<Result> baseline) {
        return baseline.map(b -> String.format(Locale.ROOT, "%.2f", result.median() / b.median()))
                .orElse("-");
    }

    /** {@code workload=lines-64 client=tether-strings transport=epoll msgs_per_s=... ratio_vs_netty=... ...}. */
    static String line(Result result, List<Result> ofWorkload) {
        return String.format(
                Locale.ROOT,
                "workload=%s client=%s transport=%s msgs_per_s=%.0f ratio_vs_netty=%s ratio_vs_limit=%s",
                result.workload().label(),
                result.client(),
                result.transport(),
                result.median(),
                ratio(result, nettyBaseline(result, ofWorkload)),
                ratio(result, limit(ofWorkload)));
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
        if (options.ioUring()) {
            page.append("The io_uring rows run with Netty's multishot polls off, as Tether sets them (see"
                    + " `Transport.AUTO`), for the hand-written Netty client too.\n\n");
        }
        for (var workload : options.workloads()) {
            List<Result> ofWorkload =
                    results.stream().filter(r -> r.workload() == workload).toList();
            page.append("## ").append(workload.label()).append("\n\n");
            page.append("| client | transport | median msgs/s | min–max msgs/s | x netty | x limit |\n");
            page.append("|---|---|---:|---:|---:|---:|\n");
            for (Result result : ofWorkload) {
                page.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %,.0f | %,.0f–%,.0f | %s | %s |\n",
                        result.client(),
                        result.transport(),
                        result.median(),
                        result.min(),
                        result.max(),
                        ratio(result, nettyBaseline(result, ofWorkload)),
                        ratio(result, limit(ofWorkload))));
            }
            page.append('\n');
        }
        page.append(slowConsumer);
        return page.toString();
    }
}
