package io.metafed.simulation.network;

import com.google.gson.Gson;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.StatusResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Reads a coordinator's {@code /v1/status} and byte counters from {@code /metrics}, for the networked simulator. */
public final class ServerProbe {
    private final URI base;
    private final HttpClient http;
    private final Gson gson = new Gson();

    public ServerProbe(URI base, SSLContext ssl) {
        this.base = base;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    public StatusResponse status() {
        return gson.fromJson(get(Protocol.STATUS), StatusResponse.class);
    }

    /** HTTP bytes received plus sent by the server so far. */
    public long bytesTransferred() {
        return bytesReceived() + bytesSent();
    }

    /** HTTP bytes the server received (devices → coordinator). */
    public long bytesReceived() {
        return counter("metafed_bytes_received_total");
    }

    /** HTTP bytes the server sent (coordinator → devices). */
    public long bytesSent() {
        return counter("metafed_bytes_sent_total");
    }

    private long counter(String name) {
        long total = 0;
        for (String line : get(Protocol.METRICS).split("\n")) {
            if (line.startsWith(name + " ")) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + base.resolve(path) + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }
}
