package io.metafed.coordinator.server;

import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.Protocol;
import io.metafed.security.signature.Ed25519KeyPair;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Signed requests as a device makes them (docs/PROTOCOL.md, "Authentication"), for tests without the SDK. */
final class SignedRequests {
    static final String TOKEN = "test-enrollment-token-0001";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SignedRequests() {
    }

    static String nonce() {
        byte[] n = new byte[Protocol.NONCE_BYTES];
        RANDOM.nextBytes(n);
        return Base64.getEncoder().encodeToString(n);
    }

    /** The four signature headers of a request signed by {@code key} as {@code clientId}. */
    static Map<String, String> headers(String method, String target, byte[] body, String clientId, String roundId,
            Ed25519KeyPair key, long timestampMillis, String nonce) {
        byte[] canonical = CanonicalRequest.of(method, target, clientId, roundId, nonce, timestampMillis, body)
                .toBytes();
        Map<String, String> h = new LinkedHashMap<>();
        h.put(Protocol.CLIENT_HEADER, clientId);
        h.put(Protocol.NONCE_HEADER, nonce);
        h.put(Protocol.TIMESTAMP_HEADER, Long.toString(timestampMillis));
        h.put(Protocol.SIGNATURE_HEADER, Base64.getEncoder().encodeToString(key.sign(canonical)));
        return h;
    }

    static DefaultFullHttpRequest netty(String method, String target, byte[] body, Map<String, String> headers) {
        DefaultFullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target,
                Unpooled.wrappedBuffer(body));
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        headers.forEach((k, v) -> r.headers().set(k, v));
        return r;
    }

    static byte[] enrollBody(String clientId, Ed25519KeyPair key, String token) {
        String json = "{\"clientId\":\"" + clientId + "\",\"publicKey\":\"" + key.publicKey().toBase64() + "\""
                + (token == null ? "" : ",\"token\":\"" + token + "\"") + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
