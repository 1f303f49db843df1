package io.metafed.coordinator.server.handler;

import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole-request deadline, independent of the idle timer (which a client resets by trickling one byte at a time):
 * the clock starts when a connection opens (so the TLS handshake counts) and whenever the first byte of a new
 * request arrives, and stops when the request's last byte has been parsed; if it runs out first, the connection is
 * closed. Two handlers share the state of one connection: {@link #bytes()} sits before TLS and sees raw bytes,
 * {@link #messages()} sits after the HTTP codec and sees where requests begin and end. The server's own time to
 * answer (e.g. a secure-aggregation long poll) does not count. Event loop only; one instance per channel.
 */
final class RequestDeadline {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDeadline.class);
    private final long deadlineMillis;
    private final ServerMetrics metrics;
    private ScheduledFuture<?> timer;
    private boolean receiving;

    RequestDeadline(long deadlineMillis, ServerMetrics metrics) {
        this.deadlineMillis = deadlineMillis;
        this.metrics = metrics;
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                start(ctx);
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                start(ctx);
                super.channelRead(ctx, msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                stop();
                super.channelInactive(ctx);
            }
        };
    }

    ChannelDuplexHandler messages() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof HttpRequest) {
                    start(ctx); // a pipelined request whose first bytes came with the previous one's last
                }
                if (msg instanceof LastHttpContent) {
                    stop();
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    private void start(ChannelHandlerContext ctx) {
        if (receiving) {
            return;
        }
        receiving = true;
        timer = ctx.executor().schedule(() -> {
            if (receiving && ctx.channel().isActive()) {
                metrics.connectionRefused("request_deadline");
                LOG.debug("Closing {}: request not received within {} ms", ctx.channel().remoteAddress(),
                        deadlineMillis);
                ctx.channel().close();
            }
        }, deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private void stop() {
        receiving = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
