package io.metafed.simulation.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The ingest bench's devices: one kept-alive TLS connection per device, all handshaken before anything is timed,
 * on a small Netty event-loop group (so thousands of devices cost no thread each and little CPU beyond TLS). A
 * batch sends one prepared request per connection at once and waits for every answer.
 */
final class IngestClient implements AutoCloseable {
    private static final AttributeKey<Batch> BATCH = AttributeKey.valueOf("metafed.ingest.batch");
    /** Connections opened at once: keeps the listener's accept backlog from overflowing during set-up. */
    private static final int CONNECT_WINDOW = 64;
    private final EventLoopGroup group;
    private final List<Channel> channels;
    private final String host;

    /**
     * One request as a device sends it: target, extra headers, body. The body is copied once into native memory:
     * prepared bodies stay live for a whole sample, and on the heap every collection the server triggers would
     * copy them, a cost of the bench that would be counted against the server. {@link #release} frees it.
     */
    record Request(HttpMethod method, String target, Map<String, String> headers, ByteBuf body) {
        static Request of(HttpMethod method, String target, Map<String, String> headers, byte[] body) {
            return new Request(method, target, headers, Unpooled.directBuffer(body.length).writeBytes(body));
        }

        int bodyBytes() {
            return body.readableBytes();
        }

        void release() {
            body.release();
        }
    }

    private IngestClient(EventLoopGroup group, List<Channel> channels, String host) {
        this.group = group;
        this.channels = channels;
        this.host = host;
    }

    /** Opens {@code connections} TLS connections to {@code address} and completes their handshakes. */
    static IngestClient connect(InetSocketAddress address, SslContext ssl, int connections, int ioThreads)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(ioThreads,
                new io.netty.util.concurrent.DefaultThreadFactory("ingest-client", true), NioIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), address.getHostString(),
                                address.getPort()));
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new Answers());
                    }
                });
        List<Channel> channels = new ArrayList<>(connections);
        IngestClient client = new IngestClient(group, channels, address.getHostString() + ":" + address.getPort());
        try {
            for (int start = 0; start < connections; start += CONNECT_WINDOW) {
                List<ChannelFuture> window = new ArrayList<>();
                for (int i = start; i < Math.min(connections, start + CONNECT_WINDOW); i++) {
                    window.add(bootstrap.connect(address));
                }
                for (ChannelFuture f : window) {
                    Channel ch = f.sync().channel();
                    ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
                    channels.add(ch);
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    int connections() {
        return channels.size();
    }

    /**
     * Sends {@code requests.get(i)} on connection i, all at once, and waits for every answer.
     *
     * @return nanoseconds from the first write to the last answer
     * @throws IllegalStateException if an answer is not {@code expectedStatus} or a connection fails
     */
    long sendAll(List<Request> requests, int expectedStatus, long timeoutSeconds) throws InterruptedException {
        if (requests.size() > channels.size()) {
            throw new IllegalArgumentException("requests must be at most the " + channels.size()
                    + " connections, found " + requests.size());
        }
        // Built before the clock starts: a retained duplicate shares the prepared body, no copy.
        List<DefaultFullHttpRequest> built = new ArrayList<>(requests.size());
        for (Request r : requests) {
            DefaultFullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, r.method(), r.target(),
                    r.body().retainedDuplicate());
            http.headers().set(HttpHeaderNames.HOST, host).setInt(HttpHeaderNames.CONTENT_LENGTH, r.bodyBytes())
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
            r.headers().forEach((k, v) -> http.headers().set(k, v));
            built.add(http);
        }
        Batch batch = new Batch(requests.size(), expectedStatus);
        for (int i = 0; i < built.size(); i++) {
            channels.get(i).attr(BATCH).set(batch);
        }
        long start = System.nanoTime();
        for (int i = 0; i < built.size(); i++) {
            Channel ch = channels.get(i);
            ch.writeAndFlush(built.get(i)).addListener(f -> {
                if (!f.isSuccess()) {
                    batch.fail(ch + ": write failed: " + f.cause());
                }
            });
        }
        if (!batch.done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException(batch.done.getCount() + " of " + requests.size()
                    + " answers missing after " + timeoutSeconds + " s; failures " + batch.failures);
        }
        long elapsed = System.nanoTime() - start;
        if (!batch.failures.isEmpty()) {
            throw new IllegalStateException(batch.failures.size() + " of " + requests.size()
                    + " requests failed, e.g. " + batch.failures.peek());
        }
        return elapsed;
    }

    @Override
    public void close() {
        for (Channel ch : channels) {
            ch.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** The answers a batch waits for. */
    private static final class Batch {
        final CountDownLatch done;
        final int expected;
        final Queue<String> failures = new ConcurrentLinkedQueue<>();

        Batch(int requests, int expected) {
            this.done = new CountDownLatch(requests);
            this.expected = expected;
        }

        void fail(String why) {
            failures.add(why);
            done.countDown();
        }
    }

    private static final class Answers extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Batch batch = ctx.channel().attr(BATCH).getAndSet(null); // answered: a later close is no failure
            if (batch == null) {
                return;
            }
            if (response.status().code() == batch.expected) {
                batch.done.countDown();
            } else {
                batch.fail("HTTP " + response.status() + ": " + response.content().toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Batch batch = ctx.channel().attr(BATCH).getAndSet(null);
            if (batch != null) {
                batch.fail(ctx.channel() + " closed before its answer");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Batch batch = ctx.channel().attr(BATCH).getAndSet(null);
            if (batch != null) {
                batch.fail(ctx.channel() + ": " + cause);
            }
            ctx.close();
        }
    }
}
