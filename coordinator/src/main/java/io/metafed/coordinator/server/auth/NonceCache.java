package io.metafed.coordinator.server.auth;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remembers recently used request nonces per client so a captured request cannot be replayed. Requests are only
 * accepted within ±window of the server clock, so a nonce need only be kept while its timestamp is within the
 * window. Memory is bounded: at most {@code perClient} nonces per client; evicting one raises that client's
 * watermark to its timestamp, and requests at or below the watermark count as replayed (their nonces may have
 * been forgotten). Honest clients sign increasing timestamps, so they never hit it. Nonces are kept in memory
 * only: requests signed before the server started are refused, since they may have been seen by an earlier run.
 * Thread-safe.
 */
public final class NonceCache {
    private static final int SWEEP_EVERY = 4_096;
    private final long windowMillis;
    private final int perClient;
    private final long startMillis;
    private final Map<String, ClientNonces> clients = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    public NonceCache(long windowMillis, int perClient, long startMillis) {
        if (windowMillis <= 0 || perClient < 1) {
            throw new IllegalArgumentException("windowMillis and perClient must be positive, found " + windowMillis
                    + " and " + perClient);
        }
        this.windowMillis = windowMillis;
        this.perClient = perClient;
        this.startMillis = startMillis;
    }

    /** Records {@code nonce}; false if it was seen before or its freshness can no longer be checked. */
    public boolean firstUse(String clientId, String nonce, long timestampMillis, long nowMillis) {
        if (timestampMillis < startMillis) {
            return false;
        }
        if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(nowMillis);
        }
        boolean[] fresh = new boolean[1];
        // All per-client work runs inside compute(), atomic with the sweep's removal of the same entry.
        clients.compute(clientId, (k, existing) -> {
            ClientNonces c = existing == null ? new ClientNonces() : existing;
            c.expire(nowMillis - windowMillis);
            if (timestampMillis <= c.watermark || c.seen.containsKey(nonce)) {
                return c;
            }
            if (c.seen.size() >= perClient) {
                Iterator<Map.Entry<String, Long>> eldest = c.seen.entrySet().iterator();
                c.watermark = Math.max(c.watermark, eldest.next().getValue());
                eldest.remove();
            }
            c.seen.put(nonce, timestampMillis);
            fresh[0] = true;
            return c;
        });
        return fresh[0];
    }

    /** Drops clients with nothing left to remember, so idle clients cost no memory. */
    private void sweep(long nowMillis) {
        long horizon = nowMillis - windowMillis;
        for (String clientId : clients.keySet()) {
            clients.computeIfPresent(clientId, (k, c) -> {
                c.expire(horizon);
                // Forgetting a watermark below the window is safe: such timestamps are refused as skewed anyway.
                return c.seen.isEmpty() && c.watermark < horizon ? null : c;
            });
        }
    }

    int clientsTracked() {
        return clients.size();
    }

    private static final class ClientNonces {
        final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
        long watermark = Long.MIN_VALUE;

        void expire(long horizon) {
            seen.values().removeIf(ts -> ts < horizon);
        }
    }
}
