package io.metafed.sdk.transport;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.metafed.model.protocol.ErrorResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.Random;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request under a {@link RetryPolicy}: repeats it after I/O errors (refused or reset connections,
 * timeouts), 5xx, 408 and 429, and hands back the first answer that is not one of those. A coordinator
 * certificate that fails verification is refused at once.
 */
final class RetryingSender {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingSender.class);
    private static final Gson GSON = new Gson();
    private static final int MAX_MESSAGE_CHARS = 500;
    static final String UNTRUSTED_CERTIFICATE = "untrusted_certificate";

    /** A final answer; {@code earlierMayHaveLanded} when an earlier attempt may have been processed. */
    record Answer(HttpExchange.Response response, boolean earlierMayHaveLanded) {
        int status() {
            return response.status();
        }

        byte[] body() {
            return response.body();
        }

        Optional<ErrorResponse> error() {
            return parseError(response.body());
        }
    }

    private final HttpExchange http;
    private final RetryPolicy policy;
    private final Random random; // null: ThreadLocalRandom of the calling thread
    private final HttpCoordinatorTransport.Sleeper sleeper;

    RetryingSender(HttpExchange http, RetryPolicy policy, Random random,
            HttpCoordinatorTransport.Sleeper sleeper) {
        this.http = http;
        this.policy = policy;
        this.random = random;
        this.sleeper = sleeper;
    }

    /** @throws TransportException {@code UNAVAILABLE} when every attempt failed transiently */
    Answer send(HttpExchange.Request request) {
        return send(() -> request);
    }

    /**
     * Like {@link #send(HttpExchange.Request)} with a new request per attempt: signed requests need a fresh nonce and
     * timestamp each time, or the server would refuse a retry of a request it already saw as replayed.
     */
    Answer send(Supplier<HttpExchange.Request> attempts) {
        HttpExchange.Request first = attempts.get();
        String what = first.method() + " " + first.path();
        boolean mayHaveLanded = false;
        for (int attempt = 1; ; attempt++) {
            HttpExchange.Request request = attempt == 1 ? first : attempts.get();
            HttpExchange.Response response = null;
            IOException failure = null;
            try {
                response = http.send(request);
            } catch (IOException e) {
                if (untrusted(e)) {
                    // Waiting will not make the coordinator's certificate trustworthy: a config or an attack.
                    throw TransportException.refused(0, UNTRUSTED_CERTIFICATE, what + ": coordinator certificate "
                            + "is not trusted: " + e.getMessage(), e);
                }
                failure = e;
            }
            if (response != null && !retryable(response.status())) {
                return new Answer(response, mayHaveLanded);
            }
            String outcome = response != null ? "HTTP " + response.status() : failure.toString();
            if (attempt >= policy.maxAttempts()) {
                int status = response == null ? 0 : response.status();
                String code = response == null ? null
                        : parseError(response.body()).map(ErrorResponse::error).orElse(null);
                throw TransportException.unavailable(status, code, what + " failed after " + attempt
                        + " attempt(s), last: " + outcome + detail(response), failure);
            }
            // 429 means "not processed"; after I/O errors, 408 and 5xx the server may have acted on the request.
            mayHaveLanded |= response == null || response.status() != 429;
            Duration wait = delay(attempt, response);
            LOG.debug("{} attempt {}/{} failed ({}), retrying in {} ms", what, attempt, policy.maxAttempts(),
                    outcome, wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                throw interrupted(what, e);
            }
        }
    }

    /** A TLS failure caused by certificate checks (unknown issuer, expired, wrong host), not by the network. */
    static boolean untrusted(IOException e) {
        if (!(e instanceof SSLException)) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof GeneralSecurityException) {
                return true;
            }
        }
        return false;
    }

    static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    private Duration delay(int attempt, HttpExchange.Response response) {
        if (response != null && (response.status() == 429 || response.status() == 503)) {
            OptionalLong seconds = retryAfterSeconds(response);
            if (seconds.isPresent()) {
                return policy.serverDelay(Duration.ofSeconds(seconds.getAsLong()));
            }
        }
        if (random == null) {
            return policy.jitteredBackoff(attempt, ThreadLocalRandom.current());
        }
        synchronized (random) { // injected generators (e.g. SplittableRandom) need not be thread-safe
            return policy.jitteredBackoff(attempt, random);
        }
    }

    /** Delay-seconds form only; an HTTP-date (rare from a coordinator) falls back to the policy's backoff. */
    static OptionalLong retryAfterSeconds(HttpExchange.Response response) {
        Optional<String> value = response.header("Retry-After");
        if (value.isPresent() && value.get().trim().matches("\\d{1,9}")) {
            return OptionalLong.of(Long.parseLong(value.get().trim()));
        }
        return OptionalLong.empty();
    }

    static Optional<ErrorResponse> parseError(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            ErrorResponse error = GSON.fromJson(new String(body, StandardCharsets.UTF_8), ErrorResponse.class);
            return error == null || error.error() == null ? Optional.empty() : Optional.of(error);
        } catch (JsonParseException e) {
            return Optional.empty();
        }
    }

    /** The server's message, or the start of a body that is not an {@code ErrorResponse}, for exceptions. */
    static String detail(HttpExchange.Response response) {
        if (response == null || response.body().length == 0) {
            return "";
        }
        Optional<ErrorResponse> error = parseError(response.body());
        if (error.isPresent()) {
            return ": " + error.get().error() + ": " + error.get().message();
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        return ": " + (text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "..." : text);
    }

    private static TransportException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return TransportException.unavailable(0, null, what + " interrupted", e);
    }
}
