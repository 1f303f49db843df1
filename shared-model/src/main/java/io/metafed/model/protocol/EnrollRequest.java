package io.metafed.model.protocol;

/**
 * {@code POST /v1/enroll}: a device asks to take part in rounds under {@code clientId}. With client
 * authentication on, {@code publicKey} (base64 of the raw 32-byte Ed25519 key) and the operator-issued
 * {@code token} are required and the request is signed with that key; without it both may be null.
 */
public record EnrollRequest(String clientId, String publicKey, String token) {
    public EnrollRequest {
        ClientIds.require(clientId);
    }

    /** An unauthenticated enrollment (servers started with {@code --no-client-auth}). */
    public EnrollRequest(String clientId) {
        this(clientId, null, null);
    }
}
