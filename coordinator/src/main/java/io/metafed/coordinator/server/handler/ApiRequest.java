package io.metafed.coordinator.server.handler;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A routed request with its body fully read (within the route's cap), still in the network buffers: see
 * {@link RequestBody}, valid only while the request is being answered.
 *
 * @param target  the request target as received (path and query), which signed requests cover
 * @param headers header values by lower-case name (the first value of repeated headers)
 * @param remoteAddress the peer's IP address (no port), what per-address limits count; "unknown" when not a socket
 */
public record ApiRequest(Route route, String target, Map<String, List<String>> query, Map<String, String> headers,
        RequestBody body, String remoteAddress) {
    public ApiRequest {
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(target, "target");
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A request from an unknown address. */
    public ApiRequest(Route route, String target, Map<String, List<String>> query, Map<String, String> headers,
            byte[] body) {
        this(route, target, query, headers, RequestBody.of(body), "unknown");
    }

    /** The IP address of {@code address} without its port; "unknown" when it is not an IP socket address. */
    public static String addressOf(java.net.SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return "unknown";
    }

    /** A request without headers to {@code route}'s own path. */
    public ApiRequest(Route route, Map<String, List<String>> query, byte[] body) {
        this(route, route.path(), query, Map.of(), body);
    }

    /** The single value of query parameter {@code name}, if present. */
    public Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The value of header {@code name} (case-insensitive), if present. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public String method() {
        return route.method().name();
    }
}
