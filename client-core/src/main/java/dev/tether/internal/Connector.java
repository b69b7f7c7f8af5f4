/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.ConnectFailedException;
import dev.tether.MetricsRecorder.ConnectAttempt;
import dev.tether.MetricsRecorder.Phase;
import dev.tether.proxy.Proxy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes one connection attempt: resolves the host name (again at every attempt, so a server that moved is found),
 * opens the channel, and turns failures into {@link ConnectFailedException}s that name the address. The seam where
 * a test can fail or delay an attempt without a server.
 */
class Connector {
    private static final Pattern NATIVE_ERROR = Pattern.compile("error\\((-?\\d+)\\)");

    /** Name of the TLS handler, first in the pipeline when the client uses TLS (after the proxy's, with a proxy). */
    static final String TLS = "tls";

    /**
     * How long a TLS 1.3 connect whose server asked for a client certificate waits for the server's verdict when the
     * server sends nothing after the handshake (most send session tickets at once).
     */
    private static final Duration VERDICT_WAIT = Duration.ofSeconds(1);

    private final Bootstrap bootstrap;
    private final Executor resolver;
    private final Duration connectTimeout;
    private final TlsContext tls; // null: plain TCP
    private final Proxy proxy; // null: straight to the server

    Connector(Bootstrap bootstrap, Executor resolver, Duration connectTimeout) {
        this(bootstrap, resolver, connectTimeout, null, null);
    }

    Connector(Bootstrap bootstrap, Executor resolver, Duration connectTimeout, TlsContext tls, Proxy proxy) {
        this.bootstrap = bootstrap;
        this.resolver = resolver;
        this.connectTimeout = connectTimeout;
        this.tls = tls;
        this.proxy = proxy;
    }

    /**
     * Where one attempt's TCP connection goes ({@code dial}, resolved) and, through a proxy, what it asks the proxy
     * for ({@code destination}: the server, unresolved unless the client resolves it; null without a proxy).
     */
    record Route(InetSocketAddress dial, InetSocketAddress destination) {}

    /**
     * Connects to {@code address} on {@code loop}. The returned future completes on {@code loop}, with the active
     * channel (with TLS: once the handshake succeeded) or a {@link ConnectFailedException}; {@code created} sees the channel as soon as it exists, so the
     * caller can abort the attempt by closing it, and {@code cancelled} is asked before the channel is opened.
     * {@code attempt} hears each phase as it starts (it starts in {@link Phase#RESOLVE}).
     */
    CompletableFuture<Channel> connect(
            InetSocketAddress address,
            EventLoop loop,
            ChannelHandler initializer,
            Consumer<Channel> created,
            BooleanSupplier cancelled,
            ConnectAttempt attempt) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        route(address)
                .whenComplete((route, error) -> onLoop(loop, () -> {
                    if (error != null) {
                        result.completeExceptionally(failure(address, null, Callbacks.unwrap(error)));
                    } else if (cancelled.getAsBoolean()) {
                        result.completeExceptionally(failure(address, route.dial(), new ClosedChannelException()));
                    } else {
                        attempt.phase(Phase.TCP);
                        open(address, route, loop, initializer, created, attempt, result);
                    }
                }));
        return result;
    }

    /** Resolves what this attempt needs resolved: the server, or the proxy (and the server too, if asked). */
    CompletableFuture<Route> route(InetSocketAddress address) {
        CompletableFuture<Route> route = resolveRoute(address);
        if (tls == null) {
            return route;
        }
        // the TLS files are read (again, if they changed) on the resolver thread: file I/O never blocks an event loop
        return route.thenCompose(r -> {
            try {
                return CompletableFuture.supplyAsync(
                        () -> {
                            tls.refresh();
                            return r;
                        },
                        resolver);
            } catch (RejectedExecutionException closing) {
                return CompletableFuture.failedFuture(new ClosedChannelException());
            }
        });
    }

    private CompletableFuture<Route> resolveRoute(InetSocketAddress address) {
        if (proxy == null) {
            return resolve(address).thenApply(resolved -> new Route(resolved, null));
        }
        CompletableFuture<InetSocketAddress> dial = resolve(proxy.address());
        boolean literal = NetUtil.createByteArrayFromIpAddressString(address.getHostString()) != null;
        if (!proxy.resolvesLocally() && !literal) {
            return dial.thenApply(resolved -> new Route(resolved, address)); // the proxy resolves the server's name
        }
        // an address goes to the proxy as an address (resolve() turns a literal into one without DNS)
        // the address alone: an InetSocketAddress that keeps the name would have the HTTP proxy CONNECT to the name
        return dial.thenCombine(resolve(address).thenApply(Connector::addressOnly), Route::new);
    }

    void open(
            InetSocketAddress address,
            Route route,
            EventLoop loop,
            ChannelHandler initializer,
            Consumer<Channel> created,
            ConnectAttempt attempt,
            CompletableFuture<Channel> result) {
        ProxyTunnel[] tunnel = new ProxyTunnel[1];
        ChannelHandler handler = tls == null && proxy == null
                ? initializer
                : new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        // the proxy nearest the socket, then TLS, so that every other handler sees plain text
                        if (proxy != null) {
                            tunnel[0] = ProxyTunnel.install(channel.pipeline(), proxy, route.dial());
                        }
                        if (tls != null && proxy == null) { // through a proxy, TLS starts once the tunnel is up
                            channel.pipeline().addLast(TLS, tls.newHandler(channel.alloc(), address));
                        }
                        channel.pipeline().addLast(initializer);
                    }
                };
        long startNanos = System.nanoTime(); // the connect timeout covers the TCP connect and the proxy's handshake
        Bootstrap dial = bootstrap.clone(loop).handler(handler);
        if (proxy != null) {
            dial.resolver(NoopAddressResolverGroup.INSTANCE); // the destination goes to the proxy as it is
        }
        ChannelFuture future = dial.connect(proxy != null ? route.destination() : route.dial());
        Channel channel = future.channel();
        created.accept(channel);
        future.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(failure(address, route.dial(), f.cause()));
            } else if (tunnel[0] != null) {
                attempt.phase(Phase.PROXY);
                throughProxy(address, channel, tunnel[0], startNanos, attempt, result);
            } else {
                afterTls(address, channel, attempt, result);
            }
        });
    }

    /** Waits for the proxy to open the way to the server, within what is left of the connect timeout. */
    private void throughProxy(
            InetSocketAddress address,
            Channel channel,
            ProxyTunnel tunnel,
            long startNanos,
            ConnectAttempt attempt,
            CompletableFuture<Channel> result) {
        boolean[] timedOut = new boolean[1];
        long left = Math.max(0, connectTimeout.toNanos() - (System.nanoTime() - startNanos));
        ScheduledFuture<?> deadline = channel.eventLoop()
                .schedule(
                        () -> {
                            timedOut[0] = true;
                            channel.close();
                        },
                        left,
                        TimeUnit.NANOSECONDS);
        tunnel.handler().connectFuture().addListener(tunneled -> {
            deadline.cancel(false);
            if (tunneled.isSuccess()) {
                tunnel.established(channel.pipeline());
                if (tls != null) { // the handshake, and its timeout, start now, with the server through the tunnel
                    channel.pipeline().addAfter(ProxyTunnel.PROXY, TLS, tls.newHandler(channel.alloc(), address));
                }
                afterTls(address, channel, attempt, result);
            } else {
                channel.close();
                Throwable cause = timedOut[0]
                        ? new ConnectTimeoutException(
                                "no answer from the proxy within " + connectTimeout.toMillis() + " ms")
                        : tunneled.cause();
                result.completeExceptionally(new ConnectFailedException(
                        tunnel.explain(tunneled.cause(), address, timedOut[0], connectTimeout), cause));
            }
        });
    }

    /** Completes the attempt once the TLS handshake, if any, succeeded. */
    private void afterTls(
            InetSocketAddress address, Channel channel, ConnectAttempt attempt, CompletableFuture<Channel> result) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            result.complete(channel);
            return;
        }
        attempt.phase(Phase.TLS);
        ssl.handshakeFuture().addListener(handshake -> {
            if (!handshake.isSuccess()) {
                channel.close();
                result.completeExceptionally(tlsFailure(address, handshake.cause(), ssl));
            } else if (tls.clientCertificateRequest(ssl.engine()) != null
                    && "TLSv1.3".equals(ssl.engine().getSession().getProtocol())) {
                // the server judges the client's certificate after our side of the handshake: wait for its verdict
                TlsVerdict.await(channel, TLS, VERDICT_WAIT).whenComplete((accepted, refusal) -> {
                    if (refusal == null) {
                        result.complete(channel);
                    } else {
                        channel.close();
                        result.completeExceptionally(tlsFailure(address, refusal, ssl));
                    }
                });
            } else {
                result.complete(channel);
            }
        });
    }

    private static InetSocketAddress addressOnly(InetSocketAddress resolved) {
        try {
            return new InetSocketAddress(
                    InetAddress.getByAddress(resolved.getAddress().getAddress()), resolved.getPort());
        } catch (UnknownHostException impossible) { // only for an address of the wrong length
            throw new AssertionError(impossible);
        }
    }

    CompletableFuture<InetSocketAddress> resolve(InetSocketAddress address) {
        String host = address.getHostString();
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(
                        new InetSocketAddress(InetAddress.getByAddress(host, literal), address.getPort()));
            } catch (UnknownHostException impossible) {
                throw new AssertionError(impossible);
            }
        }
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return new InetSocketAddress(InetAddress.getByName(host), address.getPort());
                        } catch (UnknownHostException e) {
                            throw new CompletionException(new UnknownHostException(host)); // its message: the name
                        }
                    },
                    resolver);
        } catch (RejectedExecutionException closing) {
            return CompletableFuture.failedFuture(new ClosedChannelException());
        }
    }

    /** Runs {@code task} on {@code loop}, or right here if the loop has already shut down (a forced close). */
    static void onLoop(EventLoop loop, Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException terminated) {
            task.run();
        }
    }

    /** The handshake with {@code address} failed: what went wrong, said so that a person can fix it. */
    private ConnectFailedException tlsFailure(InetSocketAddress address, Throwable cause, SslHandler ssl) {
        String target = ConfigText.hostAndPort(address);
        String why = TlsErrors.explain(cause, tls.settings(), tls.clientCertificateRequest(ssl.engine()), target);
        return new ConnectFailedException("TLS handshake with " + target + " failed: " + why, cause);
    }

    ConnectFailedException failure(InetSocketAddress address, InetSocketAddress resolved, Throwable cause) {
        InetSocketAddress dialed = proxy == null ? address : proxy.address();
        String where = "connect to " + (proxy == null ? ConfigText.hostAndPort(address) : ProxyTunnel.describe(proxy));
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(dialed.getHostString());
        if (resolved != null
                && (literal == null
                        || !java.util.Arrays.equals(
                                literal, resolved.getAddress().getAddress()))) {
            where += " (" + resolved.getAddress().getHostAddress() + ")";
        }
        if (proxy != null) {
            where += " on the way to " + ConfigText.hostAndPort(address);
        }
        String why;
        if (cause instanceof UnknownHostException) {
            why = " failed: unknown host " + cause.getMessage();
        } else if (cause instanceof ConnectTimeoutException) {
            why = " timed out after " + connectTimeout.toMillis() + " ms";
        } else if (cause instanceof ConnectException && cause.getMessage() != null) {
            why = " failed: " + connectErrorText(cause.getMessage());
        } else if (cause instanceof ClosedChannelException) {
            why = " was aborted: the connection was closed while connecting";
        } else {
            why = " failed: " + cause;
        }
        return new ConnectFailedException(where + why, cause);
    }

    /**
     * Returns the reason of a failed connect in the JDK's words: NIO says {@code "Connection refused: <address>"},
     * the native transport {@code "finishConnect(..) failed with error(-111)"}.
     */
    static String connectErrorText(String message) {
        Matcher errno = NATIVE_ERROR.matcher(message);
        if (errno.find()) {
            return switch (Math.abs(Integer.parseInt(errno.group(1)))) {
                case 111 -> "Connection refused";
                case 110 -> "Connection timed out";
                case 113 -> "No route to host";
                case 101 -> "Network is unreachable";
                case 104 -> "Connection reset by peer";
                default -> message;
            };
        }
        int colon = message.indexOf(": "); // NIO appends ": <address>", which the caller already names
        return colon > 0 ? message.substring(0, colon) : message;
    }
}
