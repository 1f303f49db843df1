package io.metafed.coordinator.server;

import io.metafed.coordinator.server.handler.Api;
import io.metafed.coordinator.server.handler.ServerChannelInitializer;
import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The server pipeline on an {@link EmbeddedChannel}, fed real HTTP bytes (encoded by Netty's request encoder)
 * and answering with parsed responses. Coordinator calls run inline (direct executor), so every send is
 * synchronous.
 */
final class EmbeddedHttp {
    final EmbeddedChannel server;
    private final EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
    private final EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(),
            new HttpObjectAggregator(1 << 24));

    record Reply(int status, HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    EmbeddedHttp(Api api, ServerMetrics metrics) {
        server = new EmbeddedChannel(new ServerChannelInitializer(null, api, metrics, Runnable::run));
    }

    Reply get(String uri) {
        return send(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
    }

    /** The body of a GET that must answer 200 (the test fails with the answer otherwise). */
    String getOk(String uri) {
        Reply r = get(uri);
        org.junit.jupiter.api.Assertions.assertEquals(200, r.status(), r.text());
        return r.text();
    }

    /** A test's teardown: the channel's pending messages released, then the federation closed; nulls skipped. */
    static void release(EmbeddedHttp http, AutoCloseable federation) throws Exception {
        if (http != null) {
            http.server.finishAndReleaseAll();
        }
        if (federation != null) {
            federation.close();
        }
    }

    Reply post(String uri, byte[] body) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri,
                Unpooled.wrappedBuffer(body));
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return send(request);
    }

    Reply post(String uri, String json) {
        return post(uri, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Encodes each HTTP object and feeds its bytes to the server; returns the response if one was written. */
    Reply send(HttpObject... parts) {
        for (HttpObject part : parts) {
            encoder.writeOutbound(part);
            for (ByteBuf bytes; (bytes = encoder.readOutbound()) != null; ) {
                if (!server.isOpen()) {
                    bytes.release();
                    continue;
                }
                server.writeInbound(bytes);
            }
        }
        return pending();
    }

    /** Feeds {@code bytes} as they are (request lines a well-behaved encoder refuses to write), then as {@link #send}. */
    Reply raw(byte[] bytes) {
        server.writeInbound(Unpooled.wrappedBuffer(bytes));
        return pending();
    }

    /** A response written since the last read, e.g. a deferred one completed by a scheduler tick; or null. */
    Reply pending() {
        server.runPendingTasks();
        for (ByteBuf bytes; (bytes = server.readOutbound()) != null; ) {
            decoder.writeInbound(bytes);
        }
        FullHttpResponse response = decoder.readInbound();
        if (response == null) {
            return null;
        }
        try {
            return new Reply(response.status().code(), response.headers().copy(),
                    ByteBufUtil.getBytes(response.content()));
        } finally {
            response.release();
        }
    }
}
