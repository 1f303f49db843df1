package io.metafed.sdk.transport;

import io.metafed.model.format.WeightFile;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.onnx.MetafedGraphs;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.SdkFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Shared pieces of the transport tests: a recording sleeper, a worst-case jitter source, tasks and models. */
final class TransportFixtures {
    static final ParamLayout LAYOUT = SdkFixtures.LAYOUT;
    static final RetryPolicy POLICY = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(5), 2.0);

    private TransportFixtures() {
    }

    /** Records the waits instead of sleeping. */
    static final class RecordingSleeper implements HttpCoordinatorTransport.Sleeper {
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public synchronized void sleep(Duration duration) {
            sleeps.add(duration);
        }
    }

    /** Always draws the top of the range, so every wait equals its backoff cap. */
    static final Random MAX_JITTER = new Random() {
        private static final long serialVersionUID = 1L;

        @Override
        public double nextDouble() {
            return Math.nextDown(1.0);
        }
    };

    static HttpTransportBuilder builder(StubCoordinator stub, RecordingSleeper sleeper) {
        return HttpCoordinatorTransport.builder(stub.uri()).retryPolicy(POLICY).random(MAX_JITTER)
                .sleeper(sleeper).requestTimeout(Duration.ofSeconds(5)).allowUnsignedModels();
    }

    static TaskResponse task(int roundId, long modelVersion) {
        return new TaskResponse(roundId, modelVersion, MetafedGraphs.hex(LAYOUT.id()), 0L, 3, 0.05, 8);
    }

    static String taskJson(int roundId, long modelVersion) {
        return "{\"roundId\":" + roundId + ",\"modelVersion\":" + modelVersion + ",\"layoutId\":\""
                + MetafedGraphs.hex(LAYOUT.id()) + "\",\"deadlineEpochMillis\":0,\"innerSteps\":3,"
                + "\"innerLr\":0.05,\"batchSize\":8}";
    }

    static byte[] modelFile(ParamLayout layout, long version, float[] params) {
        return WeightFile.write(layout, params, Map.of(Protocol.META_MODEL_VERSION, Long.toString(version)));
    }

    static float[] ramp(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (i % 17) * 0.01f;
        }
        return values;
    }
}
