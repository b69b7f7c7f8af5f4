/*
 * Copyright 2026 The Tether Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.tether.internal;

import dev.tether.proxy.Proxy;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.socksx.v4.Socks4CommandResponse;
import io.netty.handler.codec.socksx.v4.Socks4CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandResponse;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthResponse;
import io.netty.handler.codec.socksx.v5.Socks5PasswordAuthStatus;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks4ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCounted;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;

/**
 * One connection's way through a proxy: Netty's proxy handler for the protocol, and a watcher just in front of it that
 * keeps the proxy's last answer, so a refusal can be said in words ("connection not allowed by ruleset") from the
 * answer's type and status rather than from an exception's text.
 *
 * <p>Threads: the channel's event loop.
 */
final class ProxyTunnel {
    /** Name of Netty's proxy handler, first in the pipeline. */
    static final String PROXY = "proxy";

    private static final String WATCHER = "proxy-answer";
    private static final Map<Socks5CommandStatus, String> SOCKS5_REPLIES = Map.of(
            Socks5CommandStatus.FAILURE, "general SOCKS server failure",
            Socks5CommandStatus.FORBIDDEN, "connection not allowed by ruleset",
            Socks5CommandStatus.NETWORK_UNREACHABLE, "network unreachable",
            Socks5CommandStatus.HOST_UNREACHABLE, "host unreachable",
            Socks5CommandStatus.CONNECTION_REFUSED, "connection refused",
            Socks5CommandStatus.TTL_EXPIRED, "TTL expired",
            Socks5CommandStatus.COMMAND_UNSUPPORTED, "command not supported",
            Socks5CommandStatus.ADDRESS_UNSUPPORTED, "address type not supported");
    private static final Map<Socks4CommandStatus, String> SOCKS4_REPLIES = Map.of(
            Socks4CommandStatus.REJECTED_OR_FAILED, "request rejected or failed",
            Socks4CommandStatus.IDENTD_UNREACHABLE, "the proxy could not reach the client's identd",
            Socks4CommandStatus.IDENTD_AUTH_FAILURE, "the user id was not accepted");

    private final Proxy proxy;
    private final ProxyHandler handler;
    private Object answer; // the proxy's last decoded answer, if any

    private ProxyTunnel(Proxy proxy, ProxyHandler handler) {
        this.proxy = proxy;
        this.handler = handler;
    }

    /**
     * Adds the proxy's handlers at the end of {@code pipeline}, which must belong to a registered channel (as in a
     * channel initializer): the rest of the pipeline goes after them. {@code resolvedProxy} is where TCP connects.
     */
    static ProxyTunnel install(ChannelPipeline pipeline, Proxy proxy, InetSocketAddress resolvedProxy) {
        String user = proxy.username().orElse(null);
        String password = proxy.password().orElse(null);
        ProxyHandler handler = switch (proxy.type()) {
            case SOCKS5 ->
                user == null
                        ? new Socks5ProxyHandler(resolvedProxy)
                        : new Socks5ProxyHandler(resolvedProxy, user, password);
            case SOCKS4A ->
                user == null ? new Socks4ProxyHandler(resolvedProxy) : new Socks4ProxyHandler(resolvedProxy, user);
            case HTTP ->
                user == null
                        ? new HttpProxyHandler(resolvedProxy, new DefaultHttpHeaders(), true)
                        : new HttpProxyHandler(resolvedProxy, user, password, new DefaultHttpHeaders(), true);
        };
        handler.setConnectTimeoutMillis(0); // the connector's deadline covers the TCP connect and the handshake
        ProxyTunnel tunnel = new ProxyTunnel(proxy, handler);
        pipeline.addLast(PROXY, handler); // adds the protocol's codec in front of itself
        pipeline.addBefore(PROXY, WATCHER, tunnel.new Watcher());
        return tunnel;
    }

    ProxyHandler handler() {
        return handler;
    }

    /** The tunnel is up: the watcher has nothing more to see. */
    void established(ChannelPipeline pipeline) {
        if (pipeline.get(WATCHER) != null) {
            pipeline.remove(WATCHER);
        }
    }

    /** The proxy, as messages name it: {@code SOCKS5 proxy 127.0.0.1:1080}. */
    static String describe(Proxy proxy) {
        return proxy.type().label() + " proxy " + ConfigText.hostAndPort(proxy.address());
    }

    /**
     * Says why the tunnel to {@code server} (the endpoint, unresolved) failed: the proxy's answer if it gave one, else
     * what happened to the connection.
     */
    String explain(Throwable cause, InetSocketAddress server, boolean timedOut, Duration timeout) {
        String proxyName = describe(proxy);
        String endpoint = ConfigText.hostAndPort(proxy.address());
        String target = ConfigText.hostAndPort(server);
        if (answer instanceof DecoderResultProvider decoded
                && decoded.decoderResult().isFailure()) {
            return endpoint + " did not answer as " + article(proxy.type().label()) + " proxy (on the way to " + target
                    + "): is it one, and on that port?";
        }
        if (timedOut) {
            return proxyName + " did not open the way to " + target + " within " + timeout.toMillis()
                    + " ms (the connect timeout covers the connect to the proxy and its handshake)";
        }
        if (answer instanceof Socks5InitialResponse initial && initial.authMethod() == Socks5AuthMethod.UNACCEPTED) {
            return proxyName + " accepts none of the client's authentication methods"
                    + (proxy.username().isPresent()
                            ? " (it does not take a user name and password)"
                            : "; it may need a user name and password (Proxy.withCredentials)");
        }
        if (answer instanceof Socks5PasswordAuthResponse auth && auth.status() != Socks5PasswordAuthStatus.SUCCESS) {
            return proxyName + " rejected the user name or password of user "
                    + proxy.username().orElse("?");
        }
        if (answer instanceof Socks5CommandResponse command) {
            String reason = SOCKS5_REPLIES.getOrDefault(command.status(), "reply " + command.status());
            return command.status() == Socks5CommandStatus.FORBIDDEN || command.status() == Socks5CommandStatus.FAILURE
                    ? proxyName + " refused the connection to " + target + ": " + reason
                    : proxyName + " could not reach " + target + ": " + reason;
        }
        if (answer instanceof Socks4CommandResponse command) {
            String reason = SOCKS4_REPLIES.getOrDefault(command.status(), "reply " + command.status());
            boolean sentName = !proxy.resolvesLocally()
                    && NetUtil.createByteArrayFromIpAddressString(server.getHostString()) == null;
            return proxyName + " refused the connection to " + target + ": " + reason
                    + (sentName && command.status() == Socks4CommandStatus.REJECTED_OR_FAILED
                            ? " (a SOCKS 4 proxy without 4a takes no host names: try SOCKS5, or"
                                    + " Proxy.withLocalResolution())"
                            : "");
        }
        if (answer instanceof HttpResponse response) {
            HttpResponseStatus status = response.status();
            boolean authentication = status.code() == HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED.code()
                    || (status.code() == HttpResponseStatus.UNAUTHORIZED.code()
                            && proxy.username().isPresent());
            if (authentication) {
                return proxyName
                        + (proxy.username().isPresent()
                                ? " rejected the user name or password of user "
                                        + proxy.username().get()
                                : " requires authentication (Proxy.withCredentials)")
                        + " (" + status + ")";
            }
            return status.code() == 403
                    ? proxyName + " refused the connection to " + target + ": " + status
                    : proxyName + " could not open the way to " + target + ": " + status;
        }
        if (cause instanceof ClosedChannelException
                || String.valueOf(cause.getMessage()).endsWith("disconnected")) {
            return proxyName + " closed the connection before opening the way to " + target;
        }
        return "through " + proxyName + " to " + target + ": " + cause;
    }

    private static String article(String label) {
        return (label.startsWith("H") ? "an " : "a ") + label;
    }

    /** Keeps the proxy's answers as they pass. */
    private final class Watcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof HttpResponse || !(message instanceof ReferenceCounted)) {
                answer = message; // a decoded answer; the HTTP codec's content parts are counted, and skipped
            }
            ctx.fireChannelRead(message);
        }
    }
}
