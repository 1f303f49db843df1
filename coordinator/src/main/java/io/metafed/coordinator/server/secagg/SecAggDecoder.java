package io.metafed.coordinator.server.secagg;

import com.google.gson.JsonParseException;
import io.metafed.coordinator.server.codec.Json;
import io.metafed.coordinator.server.handler.ApiException;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.MaskedInputFormat;
import io.metafed.model.protocol.SecAggWire;
import io.metafed.security.secagg.SecAggMessages;
import io.metafed.security.secagg.SecAggMessages.EncryptedShare;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies of the secure-aggregation POSTs → protocol messages of the sender's index. Every shape rule
 * (non-null lists, counts bounded by the round's n, exact key/ciphertext/share lengths, dimension) is checked here,
 * before the session sees the message; any violation is 400 {@code secagg_bad_message}.
 */
public final class SecAggDecoder {
    /** Upper bound of one JSON entry of a share upload (peer index and 128 base64 characters, with syntax). */
    private static final int SHARE_ENTRY_BYTES = 192;
    /** Upper bound of one JSON entry of an unmask upload (owner index and 44 base64 characters, with syntax). */
    private static final int OWNED_SHARE_BYTES = 96;
    private static final int ENVELOPE_BYTES = 256;
    private static final int SIGNATURE_BYTES = io.metafed.security.signature.Ed25519Signer.SIGNATURE_LENGTH;

    private SecAggDecoder() {
    }

    public static int maxSharesBytes(int maxClients) {
        return ENVELOPE_BYTES + maxClients * SHARE_ENTRY_BYTES;
    }

    public static int maxUnmaskBytes(int maxClients) {
        return ENVELOPE_BYTES + 2 * maxClients * OWNED_SHARE_BYTES;
    }

    /** A key advertisement and its identity signature (null when the body has none). */
    public record SignedKeys(SecAggMessages.KeyAdvertisement keys, byte[] signature) {
    }

    public static SignedKeys keys(int index, byte[] body) {
        SecAggWire.Keys keys = json(body, SecAggWire.Keys.class);
        return new SignedKeys(new SecAggMessages.KeyAdvertisement(index,
                bytes(keys.encryptionKey(), "encryptionKey", SecAggMessages.PUBLIC_KEY_BYTES),
                bytes(keys.maskKey(), "maskKey", SecAggMessages.PUBLIC_KEY_BYTES)),
                keys.signature() == null ? null : bytes(keys.signature(), "signature", SIGNATURE_BYTES));
    }

    /** The survivor-set signature of a consistency-check POST. */
    public static byte[] consistency(byte[] body) {
        return bytes(json(body, SecAggWire.Consistency.class).signature(), "signature", SIGNATURE_BYTES);
    }

    public static SecAggMessages.ShareUpload shares(int index, byte[] body, int clientCount) {
        SecAggWire.Shares upload = json(body, SecAggWire.Shares.class);
        List<SecAggWire.Sealed> entries = list(upload.shares(), "shares", clientCount - 1);
        List<EncryptedShare> out = new ArrayList<>(entries.size());
        for (SecAggWire.Sealed s : entries) {
            if (s == null) {
                throw bad("shares: entries must be objects {peer, ciphertext}, found null");
            }
            out.add(new EncryptedShare(index, s.peer(), bytes(s.ciphertext(), "ciphertext to " + s.peer(),
                    SecAggMessages.CIPHERTEXT_BYTES)));
        }
        return new SecAggMessages.ShareUpload(index, out);
    }

    public static SecAggMessages.MaskedInput masked(int index, int round, byte[] body, int dimension) {
        MaskedInputFormat.Masked m;
        try {
            m = MaskedInputFormat.decode(body, dimension);
        } catch (MaskedInputFormat.FormatException e) {
            throw bad(e.getMessage());
        }
        if (m.roundId() != round || m.index() != index) {
            throw bad("masked input is for round " + m.roundId() + " and index " + m.index() + ", but the request is"
                    + " round " + round + " of index " + index);
        }
        return new SecAggMessages.MaskedInput(index, m.words());
    }

    public static SecAggMessages.UnmaskResponse unmask(int index, byte[] body, int clientCount) {
        SecAggWire.Unmask upload = json(body, SecAggWire.Unmask.class);
        return new SecAggMessages.UnmaskResponse(index, owned(upload.selfMaskShares(), "selfMaskShares", clientCount),
                owned(upload.keyShares(), "keyShares", clientCount));
    }

    private static Map<Integer, byte[]> owned(List<SecAggWire.OwnedShare> entries, String field, int clientCount) {
        Map<Integer, byte[]> out = new HashMap<>();
        for (SecAggWire.OwnedShare s : list(entries, field, clientCount)) {
            if (s == null || out.put(s.owner(), bytes(s.share(), field + " of " + s.owner(),
                    SecAggMessages.SHARE_BYTES)) != null) {
                throw bad(field + ": entries must be distinct objects {owner, share}, found " + s);
            }
        }
        return out;
    }

    private static <T> List<T> list(List<T> value, String field, int max) {
        if (value == null || value.size() > max) {
            throw bad(field + ": must be a list of at most " + max + " entries, found "
                    + (value == null ? "none" : value.size()));
        }
        return value;
    }

    private static byte[] bytes(String base64, String field, int length) {
        if (base64 == null) {
            throw bad(field + ": required (base64 of " + length + " bytes)");
        }
        byte[] out;
        try {
            out = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw bad(field + ": must be base64: " + e.getMessage());
        }
        if (out.length != length) {
            throw bad(field + ": must be base64 of " + length + " bytes, found " + out.length);
        }
        return out;
    }

    private static <T> T json(byte[] body, Class<T> type) {
        try {
            T value = Json.GSON.fromJson(new String(body, StandardCharsets.UTF_8), type);
            if (value == null) {
                throw bad("body must be a JSON " + type.getSimpleName() + ", found nothing");
            }
            return value;
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw bad("body must be a JSON " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    private static ApiException bad(String message) {
        return new ApiException(400, ErrorCodes.SECAGG_BAD_MESSAGE, message);
    }
}
