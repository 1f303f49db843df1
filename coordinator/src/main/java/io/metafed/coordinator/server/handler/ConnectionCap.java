package io.metafed.coordinator.server.handler;

import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in every pipeline: counts open connections per IP address and in total, and closes a new connection at
 * once (before TLS, so it costs no handshake) when either is at its {@link ConnectionLimits} cap. Shared by all
 * channels.
 */
@ChannelHandler.Sharable
final class ConnectionCap extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
    private static final AttributeKey<String> COUNTED = AttributeKey.valueOf("metafed.connection.address");
    private final int maxPerAddress;
    private final int maxConnections;
    private final ServerMetrics metrics;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger refusalsLogged = new AtomicInteger();

    ConnectionCap(ConnectionLimits limits, ServerMetrics metrics) {
        this.maxPerAddress = limits.maxPerAddress();
        this.maxConnections = limits.maxConnections();
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        String address = ApiRequest.addressOf(ctx.channel().remoteAddress());
        AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        int n = mine.incrementAndGet();
        int all = total.incrementAndGet();
        ctx.channel().attr(COUNTED).set(address);
        if (n > maxPerAddress || all > maxConnections) {
            metrics.connectionRefused(n > maxPerAddress ? "per_address" : "total");
            if (refusalsLogged.getAndIncrement() % 1000 == 0) { // one line per 1,000: a flood must not flood the log
                LOG.warn("Refusing connection from {}: {} open from that address (cap {}), {} in total (cap {})",
                        address, n, maxPerAddress, all, maxConnections);
            }
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        String address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            total.decrementAndGet();
            perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
        super.channelInactive(ctx);
    }

    /** Open connections counted now (for tests and metrics). */
    int open() {
        return total.get();
    }
}
