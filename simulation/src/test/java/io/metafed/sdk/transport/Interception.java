package io.metafed.sdk.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.metafed.model.data.Interaction;
import io.metafed.model.format.WeightFile;
import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.TaskResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opentest4j.AssertionFailedError;

/**
 * What {@link CollabInterceptionTest} captures of a device's traffic (every request through a recording
 * {@link HttpExchange}, every secure-aggregation input through the SDK's tap) and the check that none of it
 * carries a private parameter or the user's ratings.
 */
final class Interception {
    private Interception() {
    }

    /** One request as the device's transport sent it, with the answer it got. */
    record Captured(HttpExchange.Request request, HttpExchange.Response response) {
    }

    /** One secure-aggregation input, as handed to the secure-aggregation client. */
    record Input(String clientId, TaskResponse task, int[] words) {
    }

    /** The SDK's own HTTP stack, recording every request body it sends and every answer. */
    static final class Recorder implements HttpExchange {
        private final HttpExchange real;
        final List<Captured> log = new ArrayList<>();

        Recorder(HttpExchange real) {
            this.real = real;
        }

        @Override
        public Response send(Request request) throws IOException {
            Response response = real.send(request);
            synchronized (log) {
                log.add(new Captured(request, response));
            }
            return response;
        }

        List<Captured> snapshot() {
            synchronized (log) {
                return new ArrayList<>(log);
            }
        }
    }

    /**
     * What must hold of everything captured: updates and secure inputs of the shared size only, and no request body
     * holding a z value (as little-endian float32, as in weight files, or as decimal text, as in JSON), the user's
     * ratings or rated item ids (any four consecutive, as stored).
     *
     * @param privates        client id → the user's z
     * @param ratingsByClient client id → the user's ratings in store order
     */
    static void assertNoPrivateParameters(ParamLayout layout, List<Captured> sent, List<Input> inputs,
            Map<String, float[]> privates, Map<String, List<Interaction>> ratingsByClient) {
        for (Captured c : sent) {
            byte[] body = c.request().body();
            String text = new String(body, StandardCharsets.ISO_8859_1);
            if (c.request().path().equals(Protocol.UPDATE)) {
                Weights w;
                try {
                    w = WeightFile.readAnyLayout(body);
                } catch (IllegalArgumentException e) {
                    throw new AssertionFailedError("an update is not a weight file: " + e.getMessage(), e);
                }
                assertEquals(layout.size(), w.size(), "an update holds the shared parameters only");
                assertEquals(layout.id(), w.layoutId());
            }
            privates.forEach((client, z) -> {
                for (int k = 0; k < z.length; k++) {
                    assertFalse(contains(body, floatsLE(z[k])), "z[" + k + "] of " + client + " in "
                            + c.request().target());
                    assertFalse(text.contains(Float.toString(z[k])) || text.contains(Double.toString(z[k])),
                            "z[" + k + "] of " + client + " as text in " + c.request().target());
                }
            });
            for (Map.Entry<String, List<Interaction>> user : ratingsByClient.entrySet()) {
                for (int from = 0; from + 4 <= user.getValue().size(); from++) {
                    List<Interaction> run = user.getValue().subList(from, from + 4);
                    float[] ratings = new float[4];
                    int[] items = new int[4];
                    for (int i = 0; i < 4; i++) {
                        ratings[i] = run.get(i).rating();
                        items[i] = run.get(i).item();
                    }
                    assertFalse(contains(body, floatsLE(ratings)), "ratings of " + user.getKey() + " in "
                            + c.request().target());
                    assertFalse(contains(body, intsLE(items)), "rated items of " + user.getKey() + " in "
                            + c.request().target());
                }
            }
        }
        for (Input in : inputs) {
            assertEquals(layout.size() + 1, in.words().length,
                    "a secure input is w·Δ of the shared parameters and w");
        }
    }

    static byte[] floatsLE(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] intsLE(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
