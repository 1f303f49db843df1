package io.metafed.coordinator.server.handler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.model.protocol.SignedMessages;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The request body stays in the network buffers while the API answers ({@link RequestBody}), so the pipeline
 * must give the buffer back exactly once on every way a request can end: an answer, a refusal, a fault, a
 * deferred answer (released when the call returns, not held while the answer waits), and a worker pool that
 * refuses the task. Checked on the aggregated buffer itself: its
 * reference count is 0 once the answer is out (a leak would leave it at 1; a second release would throw
 * {@code IllegalReferenceCountException} in the pipeline and the answer would be missing).
 */
class RequestBodyReleaseTest {
    private static final byte[] BODY = body();

    private static byte[] body() {
        byte[] b = new byte[70_000];
        new java.util.SplittableRandom(7).nextBytes(b);
        return b;
    }

    /** An API that records the buffer it was given, and then answers as {@code answer} says. */
    private static final class Recording implements Api {
        final AtomicReference<ByteBuf> seen = new AtomicReference<>();
        final AtomicReference<RequestBody> body = new AtomicReference<>();
        final Function<ApiRequest, CompletableFuture<ApiResponse>> answer;

        Recording(Function<ApiRequest, CompletableFuture<ApiResponse>> answer) {
            this.answer = answer;
        }

        @Override
        public ApiResponse handle(ApiRequest request) {
            return handleAsync(request).join();
        }

        @Override
        public CompletableFuture<ApiResponse> handleAsync(ApiRequest request) {
            seen.set(request.body().view());
            body.set(request.body());
            // While the API runs the body is readable where it arrived, as the bytes that were sent.
            assertEquals(BODY.length, request.body().length());
            assertEquals(SignedMessages.sha256Hex(BODY), request.body().sha256Hex());
            assertArrayEquals(BODY, request.body().bytes());
            return answer.apply(request);
        }

        @Override
        public int maxBodyBytes(Route route) {
            return 1 << 20;
        }
    }

    private static FullHttpResponse post(EmbeddedChannel server) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/v1/update", Unpooled.wrappedBuffer(BODY));
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
        EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
        encoder.writeOutbound(request);
        for (ByteBuf bytes; (bytes = encoder.readOutbound()) != null; ) {
            // Copied into pooled direct memory in TLS-record-sized pieces, as a socket would deliver it.
            while (bytes.isReadable()) {
                int n = Math.min(16_384, bytes.readableBytes());
                ByteBuf piece = server.alloc().directBuffer(n);
                piece.writeBytes(bytes, n);
                server.writeInbound(piece);
            }
            bytes.release();
        }
        encoder.finishAndReleaseAll();
        return pending(server);
    }

    private static FullHttpResponse pending(EmbeddedChannel server) {
        server.runPendingTasks();
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        for (ByteBuf bytes; (bytes = server.readOutbound()) != null; ) {
            decoder.writeInbound(bytes);
        }
        FullHttpResponse response = decoder.readInbound();
        decoder.finishAndReleaseAll();
        return response;
    }

    private static int status(EmbeddedChannel server, Recording api) {
        FullHttpResponse response = post(server);
        assertNotNull(response, "no answer");
        try {
            return response.status().code();
        } finally {
            response.release();
        }
    }

    private static void assertReleased(Recording api) {
        assertNotNull(api.seen.get(), "the API was not called");
        assertEquals(0, api.seen.get().refCnt(), "the request's buffer was not given back");
        assertTrue(api.body.get().released());
        assertThrows(IllegalStateException.class, () -> api.body.get().buffers(),
                "a released body must not hand out its (recycled) buffers");
    }

    private static EmbeddedChannel server(Api api, Executor executor) {
        return new EmbeddedChannel(new ServerChannelInitializer(null, api, new ServerMetrics(), executor));
    }

    @Test
    void answered_bufferReleasedOnce() {
        Recording api = new Recording(r -> CompletableFuture.completedFuture(ApiResponse.text("text/plain", "ok")));
        EmbeddedChannel server = server(api, Runnable::run);
        assertEquals(200, status(server, api));
        assertReleased(api);
        assertFalse(server.finishAndReleaseAll());
    }

    @Test
    void refusedWithApiException_bufferReleasedOnce() {
        Recording api = new Recording(r -> {
            throw new ApiException(400, "bad_update", "refused");
        });
        EmbeddedChannel server = server(api, Runnable::run);
        assertEquals(400, status(server, api));
        assertReleased(api);
        server.finishAndReleaseAll();
    }

    @Test
    void apiFault_500AndBufferReleasedOnce() {
        Recording api = new Recording(r -> {
            throw new IllegalStateException("fault");
        });
        EmbeddedChannel server = server(api, Runnable::run);
        assertEquals(500, status(server, api));
        assertReleased(api);
        server.finishAndReleaseAll();
    }

    @Test
    void failedFuture_bufferReleasedOnce() {
        Recording api = new Recording(r -> CompletableFuture.failedFuture(new ApiException(409, "stale", "late")));
        EmbeddedChannel server = server(api, Runnable::run);
        assertEquals(409, status(server, api));
        assertReleased(api);
        server.finishAndReleaseAll();
    }

    @Test
    void deferredAnswer_bufferReleasedWhenTheCallReturnsNotHeldWhileWaiting() {
        CompletableFuture<ApiResponse> later = new CompletableFuture<>();
        Recording api = new Recording(r -> later);
        EmbeddedChannel server = server(api, Runnable::run);
        assertNull(post(server), "answered before the deferred answer completed");
        // A long-poll may wait for seconds: it must not pin the network buffer meanwhile.
        assertReleased(api);
        assertArrayEquals(BODY, api.body.get().bytes(), "the copy made during the call stays readable");
        later.complete(ApiResponse.text("text/plain", "late"));
        FullHttpResponse response = pending(server);
        assertNotNull(response);
        assertEquals(200, response.status().code());
        response.release();
        assertEquals(0, api.seen.get().refCnt(), "released twice or not at all");
        server.finishAndReleaseAll();
    }

    @Test
    void workerPoolRefuses_503AndBufferReleased() {
        Recording api = new Recording(r -> CompletableFuture.completedFuture(ApiResponse.text("text/plain", "ok")));
        // The buffer is never seen by the API here: find it through the aggregator's output instead.
        AtomicReference<ByteBuf> content = new AtomicReference<>();
        EmbeddedChannel server = server(api, task -> {
            throw new RejectedExecutionException("full");
        });
        server.pipeline().addBefore("api", "spy", new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                content.set(((io.netty.handler.codec.http.FullHttpRequest) msg).content());
                ctx.fireChannelRead(msg);
            }
        });
        FullHttpResponse response = post(server);
        assertNotNull(response);
        assertEquals(503, response.status().code());
        response.release();
        assertNull(api.seen.get(), "the refused request reached the API");
        assertEquals(0, content.get().refCnt(), "the refused request's buffer was not given back");
        server.finishAndReleaseAll();
    }
}
