package io.metafed.coordinator.server.handler;

import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Writes an {@link ApiResponse} to a channel and counts it; safe to call from any thread. */
final class Replies {
    private Replies() {
    }

    /**
     * Sends {@code response}; with {@code keepAlive} false the connection closes once it is written (used
     * after refusing a body that was never read, whose bytes would otherwise be parsed as the next request).
     */
    static void send(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive, String routeLabel,
            ServerMetrics metrics) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
        if (response.contentType() != null) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        }
        response.headers().forEach((k, v) -> http.headers().set(k, v));
        if (response.status() != 204 && response.status() != 304) { // neither has a body (RFC 9110 15.3.5, 15.4.5)
            http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        }
        if (!http.headers().contains(HttpHeaderNames.CACHE_CONTROL)) { // the model route allows revalidated caching
            http.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        }
        if (!keepAlive) {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        metrics.request(routeLabel, response.status());
        var future = ctx.writeAndFlush(http);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
