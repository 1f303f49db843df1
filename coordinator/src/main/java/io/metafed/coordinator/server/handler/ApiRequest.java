package io.metafed.coordinator.server.handler;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A routed request with its body fully read (within the route's cap). */
public record ApiRequest(Route route, Map<String, List<String>> query, byte[] body) {
    public ApiRequest {
        Objects.requireNonNull(route, "route");
        query = Map.copyOf(query);
        Objects.requireNonNull(body, "body");
    }

    /** The single value of query parameter {@code name}, if present. */
    public Optional<String> param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
