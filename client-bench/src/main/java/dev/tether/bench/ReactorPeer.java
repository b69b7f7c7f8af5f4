/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import reactor.netty.Connection;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;

/** Reactor Netty's {@code TcpClient}, as its documentation shows it: a frame decoder, then {@code asString()}. */
final class ReactorPeer implements Peer {
    private final boolean epoll;
    private final LoopResources loops = LoopResources.create("bench-reactor", 1, true);

    ReactorPeer(boolean epoll) {
        this.epoll = epoll;
    }

    @Override
    public String name() {
        return "reactor-netty";
    }

    @Override
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        long[] counted = new long[2];
        long start = System.nanoTime();
        Connection connection = TcpClient.create()
                .host("127.0.0.1")
                .port(port)
                .runOn(loops, epoll)
                .doOnConnected(c -> c.addHandlerLast(
                        workload.format() == Workload.Format.LINES
                                ? new LineBasedFrameDecoder(Workload.MAX_FRAME)
                                : new LengthFieldBasedFrameDecoder(Workload.MAX_FRAME, 0, 4, 0, 4)))
                .connectNow();
        try {
            connection
                    .inbound()
                    .receive()
                    .asString(StandardCharsets.UTF_8)
                    .doOnNext(message -> {
                        counted[0]++;
                        counted[1] += message.length();
                    })
                    .then()
                    .toFuture()
                    .get(5, TimeUnit.MINUTES); // completes when the server closes
        } finally {
            connection.disposeNow(); // already closed, unless the runner's deadline interrupted the wait
        }
        long took = System.nanoTime() - start;
        Peer.verify(name(), workload, messages, counted[0], counted[1]);
        return took;
    }

    @Override
    public void close() {
        loops.disposeLater().block();
    }
}
