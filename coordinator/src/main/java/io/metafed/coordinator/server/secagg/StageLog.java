package io.metafed.coordinator.server.secagg;

import io.metafed.coordinator.server.metrics.ServerMetrics;
import io.metafed.security.secagg.SecAggStage;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Times the stages of one secure round and reports each stage's survivors to the log and the metrics. */
public final class StageLog {
    private static final Logger LOG = LoggerFactory.getLogger(StageLog.class);
    /** The stages clients answer, in order. */
    static final List<SecAggStage> STAGES = List.of(SecAggStage.ADVERTISE_KEYS, SecAggStage.SHARE_KEYS,
            SecAggStage.MASKED_INPUT, SecAggStage.CONSISTENCY_CHECK, SecAggStage.UNMASKING);
    private final int roundId;
    private final ServerMetrics metrics;
    private long stageStart;
    private boolean finished;

    public StageLog(int roundId, ServerMetrics metrics) {
        this.roundId = roundId;
        this.metrics = metrics;
    }

    void begin(long now) {
        stageStart = now;
    }

    void closed(SecAggStage stage, long now, int answered) {
        long millis = now - stageStart;
        stageStart = now;
        metrics.secaggStage(stage.name().toLowerCase(java.util.Locale.ROOT), millis, answered);
        LOG.info("Secure round {}: stage {} closed after {} ms with {} clients", roundId, stage, millis, answered);
    }

    void finished(boolean aggregated, long now) {
        if (!finished) {
            finished = true;
            metrics.secaggRound(aggregated);
        }
    }
}
