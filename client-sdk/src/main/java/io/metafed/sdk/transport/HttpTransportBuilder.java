package io.metafed.sdk.transport;

import io.metafed.security.signature.Ed25519PublicKey;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.Random;
import javax.net.ssl.SSLContext;

/** Validating builder of {@link HttpCoordinatorTransport}; obtain one from {@link HttpCoordinatorTransport#builder}. */
public final class HttpTransportBuilder {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Generous: a model download over a slow mobile link must fit in it. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    final URI baseUri;
    SSLContext sslContext;
    Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    Random random; // null: ThreadLocalRandom of each calling thread
    HttpCoordinatorTransport.Sleeper sleeper = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());
    Ed25519PublicKey modelKey;
    boolean allowUnsignedModels;
    DeviceKeys deviceKeys; // null: unsigned requests, for servers run with --no-client-auth
    String enrollmentToken;
    SecureRandom secureRandom;
    Clock clock = Clock.systemUTC();
    HttpExchange exchange; // null: a UrlConnectionExchange from the settings here
    Path modelCache;

    HttpTransportBuilder(URI baseUri) {
        Objects.requireNonNull(baseUri, "baseUri");
        String scheme = baseUri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("baseUri scheme must be http or https, found " + baseUri);
        }
        if (baseUri.getHost() == null || baseUri.getRawQuery() != null || baseUri.getRawFragment() != null
                || baseUri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("baseUri must be scheme://host[:port][/path] without user info, "
                    + "query or fragment, found " + baseUri);
        }
        this.baseUri = baseUri;
    }

    /** Trust for {@code https}, e.g. {@link TlsTrust#fromPemCertificate} for a self-signed dev certificate. */
    public HttpTransportBuilder sslContext(SSLContext sslContext) {
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        return this;
    }

    public HttpTransportBuilder connectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        return this;
    }

    /**
     * Limit of each wait for the answer of one attempt (HttpURLConnection's read timeout: a download that keeps
     * delivering data may take longer in all); a timed-out attempt is retried.
     */
    public HttpTransportBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        return this;
    }

    public HttpTransportBuilder retryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        return this;
    }

    /**
     * Source of backoff jitter ({@link Random#nextDouble()}), e.g. a seeded {@code Random} for reproducible
     * tests; used under a lock. By default each calling thread's {@code ThreadLocalRandom}.
     */
    public HttpTransportBuilder random(Random random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** How to wait between attempts; {@code Thread}-sleeping by default. */
    public HttpTransportBuilder sleeper(HttpCoordinatorTransport.Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    /**
     * The coordinator's model-signing public key (shipped with the app, or {@code GET /v1/model-key} checked
     * out of band). Every downloaded model must carry a valid signature by it, or is refused as
     * {@code bad_signature} / {@code unsigned_model}.
     */
    public HttpTransportBuilder modelKey(Ed25519PublicKey modelKey) {
        this.modelKey = Objects.requireNonNull(modelKey, "modelKey");
        return this;
    }

    /** Accepts models without checking signatures. Only for tests and development: a required opt-out. */
    public HttpTransportBuilder allowUnsignedModels() {
        this.allowUnsignedModels = true;
        return this;
    }

    /** Device identity keys; with them enrollment registers the key and every task/update request is signed. */
    public HttpTransportBuilder deviceKeys(DeviceKeys deviceKeys) {
        this.deviceKeys = Objects.requireNonNull(deviceKeys, "deviceKeys");
        return this;
    }

    /** The operator-issued token sent at enrollment; requires {@link #deviceKeys}. */
    public HttpTransportBuilder enrollmentToken(String enrollmentToken) {
        Objects.requireNonNull(enrollmentToken, "enrollmentToken");
        if (enrollmentToken.trim().isEmpty()) {
            throw new IllegalArgumentException("enrollmentToken must not be blank");
        }
        this.enrollmentToken = enrollmentToken;
        return this;
    }

    /** Source of request nonces; a new {@link SecureRandom} by default. */
    public HttpTransportBuilder secureRandom(SecureRandom secureRandom) {
        this.secureRandom = Objects.requireNonNull(secureRandom, "secureRandom");
        return this;
    }

    /** Clock for request timestamps; the system clock by default (tests shift it to provoke skew). */
    public HttpTransportBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Another HTTP stack (OkHttp, the JDK 11+ HttpClient on a server) instead of the default
     * {@link UrlConnectionExchange}; it then owns TLS and timeouts, so {@link #sslContext} and the timeouts here
     * must not be set.
     */
    public HttpTransportBuilder exchange(HttpExchange exchange) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        return this;
    }

    /**
     * Keeps the last downloaded model in {@code file} (e.g. in the app's private files) between launches: the
     * next download asks with {@code If-None-Match} and, on 304, uses the cached copy after verifying its signature
     * again. {@link CoordinatorTransport#deleteLocalData} deletes it.
     */
    public HttpTransportBuilder modelCache(Path file) {
        this.modelCache = Objects.requireNonNull(file, "file");
        return this;
    }

    public HttpCoordinatorTransport build() {
        if (modelKey == null && !allowUnsignedModels) {
            throw new IllegalStateException("modelKey(...) is required so downloaded models are verified;"
                    + " allowUnsignedModels() opts out for tests and development");
        }
        if (modelKey != null && allowUnsignedModels) {
            throw new IllegalStateException("modelKey and allowUnsignedModels() exclude each other");
        }
        if (enrollmentToken != null && deviceKeys == null) {
            throw new IllegalStateException("enrollmentToken requires deviceKeys(...): enrollment registers a key");
        }
        boolean https = "https".equalsIgnoreCase(baseUri.getScheme());
        if (sslContext != null && !https) {
            throw new IllegalStateException("sslContext requires an https baseUri, found " + baseUri);
        }
        if (exchange != null) {
            if (sslContext != null || connectTimeout != DEFAULT_CONNECT_TIMEOUT
                    || requestTimeout != DEFAULT_REQUEST_TIMEOUT) {
                throw new IllegalStateException("exchange(...) brings its own TLS and timeouts; do not also set "
                        + "sslContext, connectTimeout or requestTimeout");
            }
            return new HttpCoordinatorTransport(this, exchange);
        }
        return new HttpCoordinatorTransport(this, new UrlConnectionExchange(baseUri, sslContext, connectTimeout,
                requestTimeout));
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, found " + value);
        }
        return value;
    }
}
