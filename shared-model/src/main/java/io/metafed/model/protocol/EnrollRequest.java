package io.metafed.model.protocol;

/** {@code POST /v1/enroll}: a device asks to take part in rounds under {@code clientId}. */
public record EnrollRequest(String clientId) {
    public EnrollRequest {
        ClientIds.require(clientId);
    }
}
