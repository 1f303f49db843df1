package io.metafed.coordinator.round;

import io.metafed.model.protocol.ErrorCodes;

/**
 * How a refused update is reported to its client, whatever the transport: HTTP status and API error code of
 * docs/PROTOCOL.md. One mapping shared by the Netty server and in-process transports.
 */
public record Refusal(int status, String code, String message) {

    public static Refusal of(CoordinatorException e) {
        if (e instanceof LayoutMismatchException || e instanceof InvalidUpdateException) {
            return new Refusal(400, ErrorCodes.BAD_UPDATE, e.getMessage());
        }
        if (e instanceof ClientNotSelectedException) {
            return new Refusal(403, ErrorCodes.NOT_SELECTED, e.getMessage());
        }
        if (e instanceof DuplicateUpdateException) {
            return new Refusal(409, ErrorCodes.DUPLICATE_UPDATE, e.getMessage());
        }
        // Stale, round full, round closed or not open: the update missed its round.
        return new Refusal(409, ErrorCodes.STALE_ROUND, e.getMessage());
    }
}
