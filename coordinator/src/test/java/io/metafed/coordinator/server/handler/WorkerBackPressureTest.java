package io.metafed.coordinator.server.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.metrics.ServerMetrics;
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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The worker pool is bounded: when its queue is full a request is answered at once with 503 {@code unavailable}
 * and Retry-After, not buffered, and the API never sees it.
 */
class WorkerBackPressureTest {
    @Test
    void request_workerQueueFull_503WithRetryAfterAndApiNotCalled() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        Api api = new Api() {
            @Override
            public ApiResponse handle(ApiRequest request) {
                handled.incrementAndGet();
                return ApiResponse.text("text/plain; charset=utf-8", "ok");
            }

            @Override
            public int maxBodyBytes(Route route) {
                return 1 << 20;
            }
        };
        // One worker, one queue slot: both taken by tasks that wait for the latch.
        ThreadPoolExecutor workers = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1));
        CountDownLatch release = new CountDownLatch(1);
        try {
            workers.execute(() -> await(release));
            workers.execute(() -> await(release));
            EmbeddedChannel server = new EmbeddedChannel(new ServerChannelInitializer(null, api, new ServerMetrics(),
                    workers));
            byte[] body = new byte[70_000];
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    "/v1/update", Unpooled.wrappedBuffer(body));
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            FullHttpResponse response = exchange(server, request);

            assertNotNull(response, "no answer while the worker queue was full");
            try {
                assertEquals(503, response.status().code());
                assertEquals(Integer.toString(ApiHandler.RETRY_AFTER_SECONDS),
                        response.headers().get(HttpHeaderNames.RETRY_AFTER));
                String json = response.content().toString(StandardCharsets.UTF_8);
                assertTrue(json.contains("\"unavailable\""), json);
            } finally {
                response.release();
            }
            assertEquals(0, handled.get(), "the refused request reached the API");
            assertFalse(server.isOpen(), "the connection of a refused request should be closed");
            server.finishAndReleaseAll();
        } finally {
            release.countDown();
            workers.shutdown();
            assertTrue(workers.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private static FullHttpResponse exchange(EmbeddedChannel server, DefaultFullHttpRequest request) {
        EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 20));
        encoder.writeOutbound(request);
        for (ByteBuf bytes; (bytes = encoder.readOutbound()) != null; ) {
            server.writeInbound(bytes);
        }
        server.runPendingTasks();
        for (ByteBuf bytes; (bytes = server.readOutbound()) != null; ) {
            decoder.writeInbound(bytes);
        }
        encoder.finishAndReleaseAll();
        FullHttpResponse response = decoder.readInbound();
        decoder.finishAndReleaseAll();
        return response;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
