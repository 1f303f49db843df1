package io.metafed.security.secagg;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** The simulation's stopwatch and byte counter, one stage at a time; client calls may run in parallel. */
final class Meter {
    private final List<SecAggResult.StageCost> stages = new ArrayList<>();
    private final LongAdder clientNanos = new LongAdder();
    private long serverNanos;
    private long bytesUp;

    <T> T client(Supplier<T> call) {
        long t0 = System.nanoTime();
        try {
            return call.get();
        } finally {
            clientNanos.add(System.nanoTime() - t0);
        }
    }

    <T> T server(Supplier<T> call) {
        long t0 = System.nanoTime();
        try {
            return call.get();
        } finally {
            serverNanos += System.nanoTime() - t0;
        }
    }

    void server(Runnable call) {
        server(() -> {
            call.run();
            return null;
        });
    }

    void up(long bytes) {
        bytesUp += bytes;
    }

    void endStage(SecAggStage stage, int activeClients, long bytesDown, int recipients) {
        stages.add(new SecAggResult.StageCost(stage, activeClients, clientNanos.sumThenReset(), serverNanos,
                bytesUp, bytesDown, recipients));
        serverNanos = 0;
        bytesUp = 0;
    }

    SecAggResult result(SecAggServer server, int[] sum, SortedSet<Integer> included) {
        return new SecAggResult(server.stage(), sum, included, stages, server.reconstructions());
    }
}
