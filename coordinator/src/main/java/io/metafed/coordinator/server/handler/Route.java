package io.metafed.coordinator.server.handler;

import io.metafed.model.protocol.Protocol;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Optional;

/** The API's routes (docs/PROTOCOL.md), each with the one method it accepts. */
public enum Route {
    ENROLL(Protocol.ENROLL, HttpMethod.POST),
    TASK(Protocol.TASK, HttpMethod.GET),
    MODEL(Protocol.MODEL, HttpMethod.GET),
    MODEL_KEY(Protocol.MODEL_KEY, HttpMethod.GET),
    UPDATE(Protocol.UPDATE, HttpMethod.POST),
    STATUS(Protocol.STATUS, HttpMethod.GET),
    METRICS(Protocol.METRICS, HttpMethod.GET),
    HEALTH(Protocol.HEALTH, HttpMethod.GET),
    SECAGG_KEYS(Protocol.SECAGG_KEYS, HttpMethod.POST),
    SECAGG_ROSTER(Protocol.SECAGG_ROSTER, HttpMethod.GET),
    SECAGG_SHARES(Protocol.SECAGG_SHARES, HttpMethod.POST),
    SECAGG_INBOX(Protocol.SECAGG_INBOX, HttpMethod.GET),
    SECAGG_MASKED(Protocol.SECAGG_MASKED, HttpMethod.POST),
    SECAGG_UNMASK_REQUEST(Protocol.SECAGG_UNMASK_REQUEST, HttpMethod.GET),
    SECAGG_UNMASK(Protocol.SECAGG_UNMASK, HttpMethod.POST),
    SECAGG_CONSISTENCY(Protocol.SECAGG_CONSISTENCY, HttpMethod.POST),
    SECAGG_SIGNATURES(Protocol.SECAGG_SIGNATURES, HttpMethod.GET);

    private final String path;
    private final HttpMethod method;

    Route(String path, HttpMethod method) {
        this.path = path;
        this.method = method;
    }

    public String path() {
        return path;
    }

    public HttpMethod method() {
        return method;
    }

    /** Whether this is one of the secure-aggregation stage routes. */
    public boolean secureAggregation() {
        return path.startsWith(Protocol.PREFIX + "/secagg/");
    }

    /** The route for a request path (without query string); exact match, so {@code /v1/model/} is unknown. */
    public static Optional<Route> match(String path) {
        for (Route r : values()) {
            if (r.path.equals(path)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Metric label of a path: the route's path, or {@code other} so unknown paths cannot grow the label set. */
    public static String label(String path) {
        return match(path).map(Route::path).orElse("other");
    }
}
