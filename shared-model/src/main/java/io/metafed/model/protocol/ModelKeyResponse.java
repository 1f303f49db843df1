package io.metafed.model.protocol;

/**
 * {@code GET /v1/model-key}: the key that signs every published model. {@code publicKey} is base64 of the raw
 * 32 bytes; {@code fingerprint} is the first 8 bytes of its SHA-256 in hex, for comparing keys by eye. Devices
 * should ship with the key (or pin it on first use) rather than trust this answer blindly.
 */
public record ModelKeyResponse(String algorithm, String publicKey, String fingerprint) {
}
