package io.metafed.sdk.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link HttpExchange} on {@link HttpURLConnection}: the SDK's default, because Android has it (backed there by
 * the platform's OkHttp) as does every JVM, so the SDK needs no HTTP library. Connections are kept alive and
 * reused by the platform. Redirects are not followed; TLS trusts the platform's CAs or, with an
 * {@link SSLContext} (e.g. {@link TlsTrust#fromPemCertificate}), exactly what that context trusts, with the
 * platform's hostname verification either way.
 * <p>
 * Bodies are sent buffered rather than in streaming mode: the JDK's implementation answers a 401 to a streamed
 * POST with an {@code HttpRetryException} and drops the server's error body, which names what was wrong.
 */
public final class UrlConnectionExchange implements HttpExchange {
    /** Larger answers are refused: the biggest legitimate one, a model, is a few hundred KB. */
    public static final int MAX_BODY_BYTES = 64 << 20;

    private final String base;
    private final SSLSocketFactory sockets; // null: the platform default
    private final int connectMillis;
    private final int readMillis;

    /**
     * @param baseUri        the coordinator's API root ({@code http} or {@code https}, optionally with a path)
     * @param sslContext     trust for {@code https}, or null for the platform's CAs
     * @param connectTimeout limit of opening a connection
     * @param readTimeout    limit of each wait for data once connected (an answer that stalls longer fails)
     */
    public UrlConnectionExchange(URI baseUri, SSLContext sslContext, Duration connectTimeout, Duration readTimeout) {
        Objects.requireNonNull(baseUri, "baseUri");
        String s = baseUri.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.sockets = sslContext == null ? null : sslContext.getSocketFactory();
        this.connectMillis = millis(connectTimeout, "connectTimeout");
        this.readMillis = millis(readTimeout, "readTimeout");
    }

    @Override
    public Response send(Request request) throws IOException {
        URL url = URI.create(base + request.target()).toURL();
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        try {
            if (sockets != null && c instanceof HttpsURLConnection) {
                ((HttpsURLConnection) c).setSSLSocketFactory(sockets);
            }
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout(connectMillis);
            c.setReadTimeout(readMillis);
            c.setRequestMethod(request.method());
            request.headers().forEach(c::setRequestProperty);
            if (request.method().equals("POST")) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(request.body());
                }
            }
            int status = c.getResponseCode();
            if (status < 100 || status > 599) {
                throw new IOException(request.method() + " " + request.path() + ": no valid HTTP status line");
            }
            Map<String, List<String>> headers = c.getHeaderFields();
            byte[] body;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                body = in == null ? new byte[0] : readAll(in); // fully read, so the connection can be reused
            }
            return new Response(status, headers == null ? Collections.emptyMap() : headers, body);
        } catch (IOException | RuntimeException e) {
            c.disconnect(); // a half-used connection must not go back to the pool
            throw e;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        for (int n; (n = in.read(chunk)) >= 0; ) {
            if (out.size() + n > MAX_BODY_BYTES) {
                throw new IOException("answer body is larger than " + MAX_BODY_BYTES + " bytes; refusing it");
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private static int millis(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, found " + d);
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis())); // 0 would mean "no limit"
    }
}
