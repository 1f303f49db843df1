package io.metafed.model.protocol;

/** {@code POST /v1/enroll} succeeded: {@code clientId} takes part in rounds. Enrolling twice is not an error. */
public record EnrollResponse(String clientId, boolean enrolled) {
}
