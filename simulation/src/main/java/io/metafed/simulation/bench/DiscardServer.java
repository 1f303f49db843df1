package io.metafed.simulation.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The machine's limit for the ingest bench: a Netty HTTPS server with the coordinator's TLS context and I/O
 * thread count that reads each request (TLS decryption and HTTP framing, as the coordinator must) and answers
 * 202 with a body of the coordinator's size, doing nothing with the bytes. What the coordinator achieves beyond
 * this is what its own work (copies, signature, decoding, validation, aggregation) costs.
 */
final class DiscardServer implements AutoCloseable {
    private static final byte[] ACCEPTED = "{\"roundId\":0,\"accepted\":true}".getBytes(StandardCharsets.UTF_8);
    private final EventLoopGroup group;
    private final Channel listener;

    private DiscardServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    static DiscardServer start(SslContext ssl, int ioThreads) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(ioThreads,
                new io.netty.util.concurrent.DefaultThreadFactory("discard-server", true), NioIoHandler.newFactory());
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new HttpServerCodec(), new Discard());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return new DiscardServer(group, listener);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** Drops the request's content as it arrives (SimpleChannelInboundHandler releases it) and answers at its end. */
    private static final class Discard extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof LastHttpContent) {
                DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.ACCEPTED, Unpooled.wrappedBuffer(ACCEPTED));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, ACCEPTED.length);
                ctx.writeAndFlush(response);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
