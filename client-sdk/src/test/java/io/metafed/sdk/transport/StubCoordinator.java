package io.metafed.sdk.transport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A scripted coordinator on loopback: each route answers from its queue of {@link Reply replies}, in order,
 * and records every request it saw. A route whose queue ran dry answers 500.
 */
final class StubCoordinator implements AutoCloseable {
    /** One scripted answer; {@code delayMillis} before answering, to provoke client timeouts. */
    record Reply(int status, Map<String, String> headers, byte[] body, long delayMillis) {
        static Reply of(int status) {
            return new Reply(status, Map.of(), new byte[0], 0);
        }

        static Reply json(int status, String json) {
            return new Reply(status, Map.of("Content-Type", "application/json; charset=utf-8"),
                    json.getBytes(StandardCharsets.UTF_8), 0);
        }

        static Reply error(int status, String code, String message) {
            return json(status, "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}");
        }

        Reply withHeader(String name, String value) {
            Map<String, String> all = new HashMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, body, delayMillis);
        }

        Reply delayed(long millis) {
            return new Reply(status, headers, body, millis);
        }
    }

    /** A request as the stub received it. */
    record Seen(String method, String path, String query, String contentType, byte[] body,
            Map<String, String> headers) {
        /** Header {@code name} (case-insensitive), or null. */
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Deque<Reply>> replies = new HashMap<>();
    private final List<Seen> seen = new ArrayList<>();

    private StubCoordinator(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        // Several threads, so a delayed (timed-out) answer does not hold back the client's retry.
        server.setExecutor(executor);
        server.start();
    }

    static StubCoordinator http() throws IOException {
        return new StubCoordinator(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    static StubCoordinator https(SSLContext serverContext) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        return new StubCoordinator(server);
    }

    URI uri() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    synchronized StubCoordinator on(String path, Reply... script) {
        replies.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(script));
        return this;
    }

    synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Reply reply;
            synchronized (this) {
                seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getQuery(), exchange.getRequestHeaders().getFirst("Content-Type"),
                        body, headersOf(exchange)));
                Deque<Reply> script = replies.get(exchange.getRequestURI().getPath());
                reply = script == null || script.isEmpty() ? Reply.error(500, "internal", "no scripted reply")
                        : script.poll();
            }
            if (reply.delayMillis() > 0) {
                try {
                    Thread.sleep(reply.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            boolean empty = reply.body().length == 0;
            exchange.sendResponseHeaders(reply.status(), empty ? -1 : reply.body().length);
            if (!empty) {
                exchange.getResponseBody().write(reply.body());
            }
        } catch (IOException e) {
            // The client gave up (timeout) and closed the connection; nothing to answer.
        }
    }

    private static Map<String, String> headersOf(HttpExchange exchange) {
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        return headers;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
