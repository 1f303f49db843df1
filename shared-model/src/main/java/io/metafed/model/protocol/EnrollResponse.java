package io.metafed.model.protocol;

/** {@code POST /v1/enroll} succeeded: {@code clientId} takes part in future rounds (enrolling twice is harmless). */
public record EnrollResponse(String clientId, boolean enrolled) {
}
