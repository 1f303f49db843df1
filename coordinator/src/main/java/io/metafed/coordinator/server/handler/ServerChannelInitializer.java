package io.metafed.coordinator.server.handler;

import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.model.protocol.ErrorCodes;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection pipeline: [TLS] → byte counter → HTTP codec → {@link SizeGuard} (413 before buffering) →
 * aggregator (backstop cap, same 413 JSON) → {@link ApiHandler}. Connections idle for
 * {@value #IDLE_SECONDS} s are closed; before everything, {@link ConnectionCap} bounds connections per address and
 * in total, and {@link RequestDeadline} closes a connection whose request does not arrive whole in time
 * ({@link ConnectionLimits}).
 */
public final class ServerChannelInitializer extends ChannelInitializer<Channel> {
    static final int IDLE_SECONDS = 120;
    private final SslContext ssl;
    private final Api api;
    private final ServerMetrics metrics;
    private final Executor executor;
    private final TrafficCounter traffic;
    private final int maxBody;
    private final ConnectionCap cap;
    private final long deadlineMillis;

    /** @param ssl null for plaintext */
    public ServerChannelInitializer(SslContext ssl, Api api, ServerMetrics metrics, Executor executor) {
        this(ssl, api, metrics, executor, ConnectionLimits.LOCAL);
    }

    /** @param ssl null for plaintext */
    public ServerChannelInitializer(SslContext ssl, Api api, ServerMetrics metrics, Executor executor,
            ConnectionLimits limits) {
        this.cap = new ConnectionCap(limits, metrics);
        this.deadlineMillis = limits.requestDeadline().toMillis();
        this.ssl = ssl;
        this.api = api;
        this.metrics = metrics;
        this.executor = executor;
        this.traffic = new TrafficCounter(metrics);
        this.maxBody = Arrays.stream(Route.values()).mapToInt(api::maxBodyBytes).max().orElseThrow();
    }

    @Override
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        RequestDeadline deadline = new RequestDeadline(deadlineMillis, metrics);
        p.addLast("connection-cap", cap);
        p.addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS));
        p.addLast("deadline-bytes", deadline.bytes());
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        p.addLast("traffic", traffic);
        p.addLast("http", new HttpServerCodec());
        p.addLast("deadline-messages", deadline.messages());
        p.addLast("size-guard", new SizeGuard(api, metrics));
        p.addLast("aggregator", new HttpObjectAggregator(maxBody) {
            @Override
            protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
                // Not reached while SizeGuard caps every route below maxBody; kept so the answer stays JSON.
                Replies.send(ctx, ApiResponse.error(413, ErrorCodes.TOO_LARGE, "request body must be at most "
                        + maxBody + " bytes"), false, "other", metrics);
            }
        });
        p.addLast("api", new ApiHandler(api, metrics, executor));
    }
}
