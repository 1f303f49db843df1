package io.metafed.coordinator.server;

import io.metafed.coordinator.server.codec.Json;
import io.metafed.model.protocol.MaskedInputFormat;
import io.metafed.model.protocol.SecAggWire;
import io.metafed.model.protocol.SecureAggregationTask;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.secagg.FixedPointEncoder;
import io.metafed.security.secagg.SecAggClient;
import io.metafed.security.secagg.SecAggConfig;
import io.metafed.security.secagg.SecAggMessages;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One device's secure-aggregation messages as raw request bodies, made with the real {@link SecAggClient}, for
 * tests of the server without the SDK. Answers of the server are parsed from their JSON.
 */
final class SecAggDevice {
    private static final Base64.Encoder B64 = Base64.getEncoder();
    final String id;
    final TaskResponse task;
    final SecureAggregationTask params;
    private final SecAggClient client;

    SecAggDevice(String id, TaskResponse task) {
        this.id = id;
        this.task = task;
        this.params = task.secureAggregation();
        this.client = new SecAggClient(new SecAggConfig(params.clientCount(), params.threshold(), params.dimension(),
                task.roundId(), params.neighbourCount(), params.graphSeed()), params.clientIndex(), new SecureRandom());
    }

    /** Enrolls c0..c{n-1} (no client authentication), opens round 0 and returns each selected client's device. */
    static List<SecAggDevice> openRound(EmbeddedHttp http, Federation federation, int n) {
        for (int i = 0; i < n; i++) {
            if (http.post(io.metafed.model.protocol.Protocol.ENROLL, "{\"clientId\":\"c" + i + "\"}").status() != 200) {
                throw new AssertionError("enrollment of c" + i + " failed");
            }
        }
        federation.scheduler().tick();
        List<SecAggDevice> devices = new ArrayList<>();
        for (String c : federation.scheduler().current().orElseThrow().task().selectedClients()) {
            EmbeddedHttp.Reply task = http.get(io.metafed.model.protocol.Protocol.TASK + "?client=" + c);
            if (task.status() != 200) {
                throw new AssertionError("no task for " + c + ": " + task.text());
            }
            devices.add(new SecAggDevice(c, Json.GSON.fromJson(task.text(), TaskResponse.class)));
        }
        devices.sort(java.util.Comparator.comparing(d -> d.id));
        return devices;
    }

    String target(String path) {
        return path + "?client=" + id + "&round=" + task.roundId();
    }

    byte[] keys() {
        SecAggMessages.KeyAdvertisement ad = client.advertiseKeys();
        return json(new SecAggWire.Keys(B64.encodeToString(ad.encryptionPublicKey()),
                B64.encodeToString(ad.maskPublicKey())));
    }

    byte[] shares(String rosterJson) {
        SecAggWire.Roster r = Json.GSON.fromJson(rosterJson, SecAggWire.Roster.class);
        TreeMap<Integer, SecAggMessages.KeyAdvertisement> keys = new TreeMap<>();
        r.keys().forEach(k -> keys.put(k.index(), new SecAggMessages.KeyAdvertisement(k.index(),
                decode(k.encryptionKey()), decode(k.maskKey()))));
        List<SecAggWire.Sealed> sealed = new ArrayList<>();
        client.shareKeys(new SecAggMessages.KeyRoster(keys)).shares().forEach(s ->
                sealed.add(new SecAggWire.Sealed(s.to(), B64.encodeToString(s.ciphertext()))));
        return json(new SecAggWire.Shares(sealed));
    }

    /** The masked input of Δ (all coordinates {@code value}) with {@code weight}. */
    byte[] masked(String inboxJson, float value, double weight) {
        SecAggWire.Inbox b = Json.GSON.fromJson(inboxJson, SecAggWire.Inbox.class);
        List<SecAggMessages.EncryptedShare> shares = new ArrayList<>();
        b.shares().forEach(s -> shares.add(new SecAggMessages.EncryptedShare(s.peer(), params.clientIndex(),
                decode(s.ciphertext()))));
        float[] delta = new float[params.dimension() - 1];
        java.util.Arrays.fill(delta, value);
        int[] input = encoder().encode(delta, weight);
        SecAggMessages.MaskedInput y = client.maskedInput(new SecAggMessages.ShareInbox(params.clientIndex(), shares),
                input);
        return MaskedInputFormat.encode(task.roundId(), params.clientIndex(), y.maskedVector());
    }

    /** The masked input of raw fixed-point words, which an honest device's encoder would never produce. */
    byte[] maskedWords(String inboxJson, int[] input) {
        SecAggWire.Inbox b = Json.GSON.fromJson(inboxJson, SecAggWire.Inbox.class);
        List<SecAggMessages.EncryptedShare> shares = new ArrayList<>();
        b.shares().forEach(s -> shares.add(new SecAggMessages.EncryptedShare(s.peer(), params.clientIndex(),
                decode(s.ciphertext()))));
        SecAggMessages.MaskedInput y = client.maskedInput(new SecAggMessages.ShareInbox(params.clientIndex(), shares),
                input);
        return MaskedInputFormat.encode(task.roundId(), params.clientIndex(), y.maskedVector());
    }

    byte[] unmask(String requestJson) {
        SecAggWire.UnmaskRequest u = Json.GSON.fromJson(requestJson, SecAggWire.UnmaskRequest.class);
        SecAggMessages.UnmaskResponse r = client.unmask(new SecAggMessages.UnmaskRequest(
                new TreeSet<>(u.survivors()), new TreeSet<>(u.dropped())));
        return json(new SecAggWire.Unmask(owned(r.selfMaskShares()), owned(r.keyShares())));
    }

    FixedPointEncoder encoder() {
        return new FixedPointEncoder(params.clipNorm(), params.maxWeight(), params.maxClients());
    }

    private static List<SecAggWire.OwnedShare> owned(Map<Integer, byte[]> shares) {
        List<SecAggWire.OwnedShare> out = new ArrayList<>();
        new TreeMap<>(shares).forEach((o, s) -> out.add(new SecAggWire.OwnedShare(o, B64.encodeToString(s))));
        return out;
    }

    private static byte[] decode(String b64) {
        return Base64.getDecoder().decode(b64);
    }

    static byte[] json(Object value) {
        return Json.GSON.toJson(value).getBytes(StandardCharsets.UTF_8);
    }
}
