package io.metafed.model.protocol;

/**
 * Body of every 4xx/5xx answer. {@code error} is a stable machine-readable code (e.g. {@code stale_round},
 * {@code duplicate_update}, {@code not_selected}, {@code bad_update}, {@code too_large}, {@code not_found});
 * {@code message} says what was wrong, expected vs found. Server errors never include stack traces.
 */
public record ErrorResponse(String error, String message) {
}
