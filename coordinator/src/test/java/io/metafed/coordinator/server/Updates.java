package io.metafed.coordinator.server;

import io.metafed.model.format.WeightFile;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/** Update bodies as clients send them, and deliberately broken ones. */
final class Updates {
    private Updates() {
    }

    static byte[] body(ParamLayout layout, String client, int round, long version, float value, double weight) {
        float[] delta = new float[layout.size()];
        Arrays.fill(delta, value);
        return body(layout, client, round, version, delta, weight);
    }

    /** An update with a seeded random Δ in [-0.01, 0.01), as a device's adaptation might produce. */
    static byte[] random(ParamLayout layout, String client, int round, long version, SplittableRandom random) {
        float[] delta = new float[layout.size()];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = (float) (random.nextDouble() * 0.02 - 0.01);
        }
        return body(layout, client, round, version, delta, 1 + random.nextInt(20));
    }

    static byte[] body(ParamLayout layout, String client, int round, long version, float[] delta,
            double weight) {
        return WeightFile.write(layout, delta, Map.of(Protocol.META_CLIENT, client,
                Protocol.META_ROUND, Integer.toString(round), Protocol.META_MODEL_VERSION, Long.toString(version),
                Protocol.META_WEIGHT, Double.toString(weight)));
    }

    /** A well-formed file (valid checksum) whose first parameter is NaN, which WeightFile.write refuses to make. */
    static byte[] withNaN(ParamLayout layout, String client, int round, long version) {
        byte[] bytes = body(layout, client, round, version, 0.01f, 10);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int metadataLength = buf.getInt(20);
        buf.putFloat(24 + metadataLength, Float.NaN);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        buf.putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }
}
