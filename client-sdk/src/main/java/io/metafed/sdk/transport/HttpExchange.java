package io.metafed.sdk.transport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one thing {@link HttpCoordinatorTransport} needs from an HTTP stack: send a request, read the whole answer.
 * Retries, signing, model verification and the protocol live above it, so another stack (OkHttp, Cronet, the
 * JDK 11+ HttpClient on a server) is a small adapter. The SDK ships {@link UrlConnectionExchange}, on
 * {@code HttpURLConnection}, which Android and every JVM have.
 * <p>
 * Implementations must not follow redirects (a redirect is a protocol break the transport reports), must not retry
 * by themselves (the transport does, with fresh signatures) and must be safe for concurrent use.
 */
@FunctionalInterface
public interface HttpExchange {
    /**
     * Sends {@code request} and reads the whole answer, whatever its status.
     *
     * @throws IOException when no answer arrived: refused or reset connection, timeout, TLS failure (a certificate
     *                     that fails verification should surface as an {@code SSLException} caused by a
     *                     {@code GeneralSecurityException}, so the transport does not retry it)
     */
    Response send(Request request) throws IOException;

    /**
     * One request. {@code target} is the path and query under the coordinator's base URI, exactly as signed
     * (e.g. {@code /v1/task?client=device-1}); the adapter knows the base. The body is not copied.
     */
    record Request(String method, String target, Map<String, String> headers, byte[] body) {
        public Request {
            Objects.requireNonNull(method, "method");
            if (!method.equals("GET") && !method.equals("POST")) {
                throw new IllegalArgumentException("method must be GET or POST, found " + method);
            }
            Objects.requireNonNull(target, "target");
            if (!target.startsWith("/")) {
                throw new IllegalArgumentException("target must start with '/', found " + target);
            }
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
            Objects.requireNonNull(body, "body");
            if (method.equals("GET") && body.length > 0) {
                throw new IllegalArgumentException("a GET must have no body, found " + body.length + " bytes");
            }
        }

        /** The target's path, without the query, for messages. */
        public String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }
    }

    /**
     * One answer. Header names are kept lower-case (HTTP names are case-insensitive); the body is never null and
     * not copied.
     */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public Response {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be in [100, 599], found " + status);
            }
            Map<String, List<String>> lower = new LinkedHashMap<>();
            Objects.requireNonNull(headers, "headers").forEach((name, values) -> {
                if (name != null && values != null) { // HttpURLConnection reports the status line under null
                    lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values);
                }
            });
            headers = Collections.unmodifiableMap(lower);
            Objects.requireNonNull(body, "body");
        }

        /** The first value of header {@code name} (case-insensitive), if present. */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
        }
    }
}
