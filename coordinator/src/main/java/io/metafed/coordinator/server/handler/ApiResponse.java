package io.metafed.coordinator.server.handler;

import io.metafed.coordinator.server.codec.Json;
import io.metafed.model.protocol.ErrorResponse;
import io.metafed.model.protocol.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/** What the server answers: status, content type (null when there is no body), body and extra headers. */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    public ApiResponse {
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, Protocol.JSON, Json.toBytes(value), Map.of());
    }

    /** 200 with a body already encoded as JSON (e.g. one broadcast shared by many responses). */
    public static ApiResponse json(byte[] encoded) {
        return new ApiResponse(200, Protocol.JSON, encoded, Map.of());
    }

    /** An error body; Java class names in {@code message} (e.g. from a parser's exception) are removed. */
    public static ApiResponse error(int status, String code, String message) {
        return json(status, new ErrorResponse(code, io.metafed.coordinator.server.OperatorMessages.scrub(message)));
    }

    public static ApiResponse text(String contentType, String text) {
        return new ApiResponse(200, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static ApiResponse bytes(byte[] body, Map<String, String> headers) {
        return new ApiResponse(200, Protocol.OCTETS, body, headers);
    }

    /** 204 with {@code Retry-After: seconds}. */
    public static ApiResponse noContent(long retryAfterSeconds) {
        return new ApiResponse(204, null, new byte[0], Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }
}
