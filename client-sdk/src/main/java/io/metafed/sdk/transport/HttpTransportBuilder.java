package io.metafed.sdk.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
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
    RandomGenerator random; // null: ThreadLocalRandom of each calling thread
    HttpCoordinatorTransport.Sleeper sleeper = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

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

    /** Limit of one attempt from sending to the whole answer; a timed-out attempt is retried. */
    public HttpTransportBuilder requestTimeout(Duration requestTimeout) {
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        return this;
    }

    public HttpTransportBuilder retryPolicy(RetryPolicy retryPolicy) {
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        return this;
    }

    /**
     * Source of backoff jitter, e.g. a seeded {@code SplittableRandom} for reproducible tests; used under a
     * lock, so it need not be thread-safe. By default each calling thread's {@code ThreadLocalRandom}.
     */
    public HttpTransportBuilder random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** How to wait between attempts; {@code Thread}-sleeping by default. */
    public HttpTransportBuilder sleeper(HttpCoordinatorTransport.Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        return this;
    }

    public HttpCoordinatorTransport build() {
        boolean https = "https".equalsIgnoreCase(baseUri.getScheme());
        if (sslContext != null && !https) {
            throw new IllegalStateException("sslContext requires an https baseUri, found " + baseUri);
        }
        // HTTP/1.1 explicitly: the coordinator speaks only 1.1, and the JDK would otherwise try an h2c upgrade.
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) {
            http.sslContext(sslContext);
        }
        return new HttpCoordinatorTransport(this, http.build());
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, found " + value);
        }
        return value;
    }
}
