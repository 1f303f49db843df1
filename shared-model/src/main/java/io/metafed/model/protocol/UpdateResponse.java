package io.metafed.model.protocol;

/** {@code POST /v1/update}: the update was counted in {@code roundId}. */
public record UpdateResponse(int roundId, boolean accepted) {
}
