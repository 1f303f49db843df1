package io.metafed.coordinator.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Request latencies per route from many threads, summarised as count, p50, p99 and max: printed, never asserted. */
final class Latencies {
    private final Map<String, Queue<Long>> nanos = new ConcurrentHashMap<>();

    void record(String route, long elapsedNanos) {
        nanos.computeIfAbsent(route, r -> new ConcurrentLinkedQueue<>()).add(elapsedNanos);
    }

    int count(String route) {
        Queue<Long> q = nanos.get(route);
        return q == null ? 0 : q.size();
    }

    /** One line per route: {@code route  count  p50  p99  max} in milliseconds, routes in alphabetical order. */
    List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-8s %8s %9s %9s %9s", "route", "count", "p50 ms", "p99 ms", "max ms"));
        nanos.keySet().stream().sorted().forEach(route -> {
            long[] sorted = nanos.get(route).stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            lines.add(String.format("%-8s %8d %9.1f %9.1f %9.1f", route, sorted.length, percentile(sorted, 50) / 1e6,
                    percentile(sorted, 99) / 1e6, sorted[sorted.length - 1] / 1e6));
        });
        return lines;
    }

    /** Nearest-rank percentile of an ascending, non-empty array. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
