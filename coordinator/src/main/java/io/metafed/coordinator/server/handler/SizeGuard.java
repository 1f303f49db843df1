package io.metafed.coordinator.server.handler;

import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.Protocol;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses request bodies over the route's cap with 413 {@code too_large} before they are buffered: on the
 * declared Content-Length as soon as the headers arrive, and for chunked bodies as the running total passes the
 * cap. Everything after a refusal is dropped and the connection closes, since the unread body cannot be skipped
 * safely. One instance per channel (it tracks the request in progress).
 */
final class SizeGuard extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(SizeGuard.class);
    private final Api api;
    private final ServerMetrics metrics;
    private long cap;
    private long received;
    private String routeLabel = "other";
    private boolean discarding;

    SizeGuard(Api api, ServerMetrics metrics) {
        this.api = api;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (discarding) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            String path;
            try {
                path = new QueryStringDecoder(request.uri()).path();
            } catch (IllegalArgumentException e) {
                path = request.uri(); // a malformed %-escape: no route; ApiHandler answers 400
            }
            routeLabel = Route.label(path);
            // Unknown routes get the JSON cap, so a small stray body still earns its 404.
            cap = Route.match(path).map(api::maxBodyBytes).orElse(Protocol.MAX_JSON_BYTES);
            received = 0;
            long declared = HttpUtil.getContentLength(request, -1L);
            if (declared > cap) {
                refuse(ctx, msg, "declares Content-Length " + declared);
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            received += content.content().readableBytes();
            if (received > cap) {
                refuse(ctx, msg, "sent at least " + received + " bytes");
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, Object msg, String found) {
        ReferenceCountUtil.release(msg);
        discarding = true;
        String message = "request body for " + routeLabel + " must be at most " + cap + " bytes, request " + found;
        LOG.info("413 from {}: {}", ctx.channel().remoteAddress(), message);
        if (routeLabel.equals(Route.UPDATE.path())) {
            metrics.updateRejected(ErrorCodes.TOO_LARGE);
        }
        Replies.send(ctx, ApiResponse.error(413, ErrorCodes.TOO_LARGE, message), false, routeLabel, metrics);
    }
}
