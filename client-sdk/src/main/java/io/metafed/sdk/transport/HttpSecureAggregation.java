package io.metafed.sdk.transport;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.metafed.model.protocol.MaskedInputFormat;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SecAggWire;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.secagg.SecAggMessages.EncryptedShare;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import io.metafed.security.secagg.SecAggSignatures.PeerIdentity;
import io.metafed.security.secagg.SecAggSignatures.SignedRoster;
import io.metafed.security.signature.Ed25519PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@link SecureAggregationChannel} over HTTP for {@link HttpCoordinatorTransport}: protocol messages ↔ the
 * {@link SecAggWire} JSON bodies and the binary {@link MaskedInputFormat}. Every request carries
 * {@code ?client=ID&round=R} and, with device keys, is signed with the round id bound.
 */
final class HttpSecureAggregation implements SecureAggregationChannel {
    private static final Gson GSON = new Gson();
    private static final Base64.Encoder B64 = Base64.getEncoder();

    /** The transport's way of sending one (signed) request. */
    interface Exchange {
        RetryingSender.Answer send(String method, String target, String clientId, String roundId, byte[] body,
                String contentType);
    }

    private final Exchange exchange;

    HttpSecureAggregation(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys) {
        advertiseKeys(clientId, task, keys, null);
    }

    @Override
    public void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys, byte[] signature) {
        post(Protocol.SECAGG_KEYS, clientId, task, json(new SecAggWire.Keys(B64.encodeToString(
                keys.encryptionPublicKey()), B64.encodeToString(keys.maskPublicKey()),
                signature == null ? null : B64.encodeToString(signature))), Protocol.JSON);
    }

    @Override
    public Optional<KeyRoster> roster(String clientId, TaskResponse task) {
        return signedRoster(clientId, task).map(SignedRoster::roster);
    }

    @Override
    public Optional<SignedRoster> signedRoster(String clientId, TaskResponse task) {
        return get(Protocol.SECAGG_ROSTER, clientId, task, SecAggWire.Roster.class).map(r -> {
            requireRound(task, r.roundId(), r.keys());
            TreeMap<Integer, KeyAdvertisement> keys = new TreeMap<>();
            Map<Integer, PeerIdentity> identities = new TreeMap<>();
            for (SecAggWire.PeerKeys k : r.keys()) {
                try {
                    keys.put(k.index(), new KeyAdvertisement(k.index(), decode(k.encryptionKey()),
                            decode(k.maskKey())));
                    if (k.clientId() != null && k.identityKey() != null && k.signature() != null) {
                        identities.put(k.index(), new PeerIdentity(k.clientId(),
                                Ed25519PublicKey.fromBase64(k.identityKey()), decode(k.signature())));
                    }
                } catch (IllegalArgumentException e) {
                    throw TransportException.badResponse(200, "key roster entry " + k.index() + ": "
                            + e.getMessage(), e);
                }
            }
            return new SignedRoster(new KeyRoster(keys), identities);
        });
    }

    @Override
    public void sendConsistency(String clientId, TaskResponse task, byte[] signature) {
        post(Protocol.SECAGG_CONSISTENCY, clientId, task, json(new SecAggWire.Consistency(
                B64.encodeToString(signature))), Protocol.JSON);
    }

    @Override
    public Optional<Map<Integer, byte[]>> survivorSignatures(String clientId, TaskResponse task) {
        return get(Protocol.SECAGG_SIGNATURES, clientId, task, SecAggWire.Signatures.class).map(r -> {
            requireRound(task, r.roundId(), r.signatures());
            Map<Integer, byte[]> out = new TreeMap<>();
            r.signatures().forEach(s -> out.put(s.index(), decode(s.signature())));
            return out;
        });
    }

    @Override
    public void sendShares(String clientId, TaskResponse task, ShareUpload shares) {
        List<SecAggWire.Sealed> sealed = new ArrayList<>();
        shares.shares().forEach(s -> sealed.add(new SecAggWire.Sealed(s.to(), B64.encodeToString(s.ciphertext()))));
        post(Protocol.SECAGG_SHARES, clientId, task, json(new SecAggWire.Shares(sealed)), Protocol.JSON);
    }

    @Override
    public Optional<ShareInbox> inbox(String clientId, TaskResponse task) {
        int me = task.secureAggregation().clientIndex();
        return get(Protocol.SECAGG_INBOX, clientId, task, SecAggWire.Inbox.class).map(b -> {
            requireRound(task, b.roundId(), b.shares());
            List<EncryptedShare> shares = new ArrayList<>();
            b.shares().forEach(s -> shares.add(new EncryptedShare(s.peer(), me, decode(s.ciphertext()))));
            return new ShareInbox(me, shares);
        });
    }

    @Override
    public void sendMaskedInput(String clientId, TaskResponse task, MaskedInput input) {
        post(Protocol.SECAGG_MASKED, clientId, task, MaskedInputFormat.encode(task.roundId(), input.clientId(),
                input.maskedVector()), Protocol.OCTETS);
    }

    @Override
    public Optional<UnmaskRequest> unmaskRequest(String clientId, TaskResponse task) {
        return get(Protocol.SECAGG_UNMASK_REQUEST, clientId, task, SecAggWire.UnmaskRequest.class).map(u -> {
            requireRound(task, u.roundId(), u.survivors());
            requireRound(task, u.roundId(), u.dropped());
            return new UnmaskRequest(new TreeSet<>(u.survivors()), new TreeSet<>(u.dropped()));
        });
    }

    @Override
    public void sendUnmask(String clientId, TaskResponse task, UnmaskResponse response) {
        post(Protocol.SECAGG_UNMASK, clientId, task, json(new SecAggWire.Unmask(owned(response.selfMaskShares()),
                owned(response.keyShares()))), Protocol.JSON);
    }

    private static List<SecAggWire.OwnedShare> owned(Map<Integer, byte[]> shares) {
        List<SecAggWire.OwnedShare> out = new ArrayList<>();
        new TreeMap<>(shares).forEach((owner, s) -> out.add(new SecAggWire.OwnedShare(owner, B64.encodeToString(s))));
        return out;
    }

    private void post(String path, String clientId, TaskResponse task, byte[] body, String contentType) {
        RetryingSender.Answer answer = exchange.send("POST", target(path, clientId, task), clientId,
                Integer.toString(task.roundId()), body, contentType);
        HttpCoordinatorTransport.requireSuccess(answer, path);
    }

    private <T> Optional<T> get(String path, String clientId, TaskResponse task, Class<T> type) {
        RetryingSender.Answer answer = exchange.send("GET", target(path, clientId, task), clientId,
                Integer.toString(task.roundId()), new byte[0], null);
        if (answer.status() == 204) {
            return Optional.empty();
        }
        HttpCoordinatorTransport.requireSuccess(answer, path);
        try {
            T value = GSON.fromJson(new String(answer.body(), StandardCharsets.UTF_8), type);
            if (value == null) {
                throw new JsonParseException("empty body");
            }
            return Optional.of(value);
        } catch (JsonParseException e) {
            throw TransportException.badResponse(answer.status(), path + ": expected a JSON " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    private static String target(String path, String clientId, TaskResponse task) {
        return path + "?client=" + clientId + "&round=" + task.roundId();
    }

    private static void requireRound(TaskResponse task, int roundId, List<?> entries) {
        if (roundId != task.roundId() || entries == null || entries.contains(null)) {
            throw TransportException.badResponse(200, "secure aggregation answer for round " + roundId
                    + " must be for round " + task.roundId() + " with every list present", null);
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64 == null ? "" : base64);
        } catch (IllegalArgumentException e) {
            throw TransportException.badResponse(200, "secure aggregation answer holds invalid base64: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] json(Object value) {
        return GSON.toJson(value).getBytes(StandardCharsets.UTF_8);
    }
}
