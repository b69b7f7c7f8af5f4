/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.parsetools.RecordParser;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x's {@code NetClient} with a {@code RecordParser}, delimited for lines and switching between a 4-byte header
 * and the body for length prefixes; each record decoded to a {@code String}. One event loop, native transport
 * preferred.
 */
final class VertxPeer implements Peer {
    private final Vertx vertx =
            Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    private final NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
    private final Context context = vertx.getOrCreateContext();

    @Override
    public String name() {
        return "vertx";
    }

    @Override
    public String transport() {
        return vertx.isNativeTransportEnabled() ? "epoll" : "nio";
    }

    @Override
    public long receive(Workload workload, long messages, int port) throws Exception {
        long[] counted = new long[2];
        CompletableFuture<Void> serverClosed = new CompletableFuture<>();
        RecordParser parser =
                workload.format() == Workload.Format.LINES ? RecordParser.newDelimited("\n") : RecordParser.newFixed(4);
        boolean[] header = {workload.format() == Workload.Format.LENPREF};
        parser.exceptionHandler(serverClosed::completeExceptionally);
        parser.handler(record -> {
            if (header[0]) {
                parser.fixedSizeMode(record.getInt(0));
                header[0] = false;
                return;
            }
            String message = record.toString();
            counted[0]++;
            counted[1] += message.length();
            if (workload.format() == Workload.Format.LENPREF) {
                parser.fixedSizeMode(4);
                header[0] = true;
            }
        });
        long start = System.nanoTime();
        // connect from the event loop, so that the handlers are set on it before the first read is handled: set
        // from another thread, they could come after data, which Vert.x drops when a socket has no handler
        context.runOnContext(ignored -> client.connect(port, "127.0.0.1")
                .onSuccess(socket -> {
                    socket.closeHandler(closed -> serverClosed.complete(null));
                    socket.exceptionHandler(serverClosed::completeExceptionally);
                    socket.handler(parser::handle);
                })
                .onFailure(serverClosed::completeExceptionally));
        serverClosed.get(5, TimeUnit.MINUTES);
        long took = System.nanoTime() - start;
        Peer.verify(name(), workload, messages, counted[0], counted[1]);
        return took;
    }

    @Override
    public void close() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
