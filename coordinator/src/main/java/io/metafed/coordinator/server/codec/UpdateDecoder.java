package io.metafed.coordinator.server.codec;

import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.server.handler.RequestBody;
import io.metafed.model.format.WeightFile;
import io.metafed.model.format.WeightFormatException;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.protocol.ClientIds;
import io.metafed.model.protocol.Protocol;
import java.util.Map;

/**
 * Turns the body of {@code POST /v1/update} into a {@link ClientUpdate}: a weight file in the model's layout
 * (format, checksum, length and finiteness are checked as {@link WeightFile#read(byte[], ParamLayout)} does, by
 * {@link NetworkWeightFile} on the request's own buffers) whose metadata names client, round, model version and
 * weight. Every failure is an {@link UpdateFormatException} whose message says what was expected and what was
 * found.
 */
public final class UpdateDecoder {
    private UpdateDecoder() {
    }

    /** Largest acceptable body for {@code layout}: its weight file plus the metadata allowance. */
    public static int maxBytes(ParamLayout layout) {
        long size = 24L + 4L * layout.size() + 4L + WeightFile.MAX_METADATA_BYTES;
        return (int) Math.min(Integer.MAX_VALUE - 8, size);
    }

    /**
     * The fields of the update's metadata, read without checking the CRC or decoding Δ (see
     * {@link WeightFile#readMetadata}): enough to check the request's signature, which names the round, before the
     * body is decoded. The values count only once {@link #decode} accepted the same bytes.
     */
    public static Header peek(RequestBody body, ParamLayout layout) {
        try {
            return header(NetworkWeightFile.readMetadata(body.view(), layout));
        } catch (WeightFormatException e) {
            throw new UpdateFormatException(e.getMessage());
        }
    }

    /** As {@link #peek(RequestBody, ParamLayout)} on a body held in an array. */
    public static Header peek(byte[] body, ParamLayout layout) {
        return peek(RequestBody.of(body), layout);
    }

    /** The update in {@code body}, decoded from the body's buffers into the one array that becomes Δ. */
    public static ClientUpdate decode(RequestBody body, ParamLayout layout) {
        NetworkWeightFile.Decoded w;
        try {
            w = NetworkWeightFile.read(body.view(), layout);
        } catch (WeightFormatException e) {
            throw new UpdateFormatException(e.getMessage());
        }
        Header h = header(w.metadata());
        // The decoder's fresh array, adopted (nothing else holds it): no copy between the network and the sum.
        return new ClientUpdate(h.clientId(), h.roundId(), h.modelVersion(), w.layoutId(),
                ParamVector.adopt(w.params()), h.weight());
    }

    /** As {@link #decode(RequestBody, ParamLayout)} on a body held in an array. */
    public static ClientUpdate decode(byte[] body, ParamLayout layout) {
        return decode(RequestBody.of(body), layout);
    }

    /** What an update's metadata says: who sent it, for which round and model version, with what weight. */
    public record Header(String clientId, int roundId, long modelVersion, double weight) {
    }

    private static Header header(Map<String, String> meta) {
        String clientId = field(meta, Protocol.META_CLIENT);
        try {
            ClientIds.require(clientId);
        } catch (IllegalArgumentException e) {
            throw new UpdateFormatException("metadata " + Protocol.META_CLIENT + ": " + e.getMessage());
        }
        int roundId = (int) number(meta, Protocol.META_ROUND, 0, Integer.MAX_VALUE);
        long modelVersion = number(meta, Protocol.META_MODEL_VERSION, 0, Long.MAX_VALUE);
        String weightText = field(meta, Protocol.META_WEIGHT);
        double weight;
        try {
            weight = Double.parseDouble(weightText);
        } catch (NumberFormatException e) {
            throw new UpdateFormatException("metadata " + Protocol.META_WEIGHT + " must be a number, found '"
                    + weightText + "'");
        }
        return new Header(clientId, roundId, modelVersion, weight);
    }

    private static String field(Map<String, String> meta, String key) {
        String value = meta.get(key);
        if (value == null) {
            throw new UpdateFormatException("metadata must contain '" + key + "', found keys " + meta.keySet());
        }
        return value;
    }

    private static long number(Map<String, String> meta, String key, long min, long max) {
        String text = field(meta, key);
        try {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                throw new UpdateFormatException("metadata " + key + " must be in [" + min + ", " + max + "], found "
                        + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UpdateFormatException("metadata " + key + " must be an integer, found '" + text + "'");
        }
    }

    /** The body is not a well-formed update; answered as 400 {@code bad_update}. */
    public static final class UpdateFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UpdateFormatException(String message) {
            super(message);
        }
    }
}
