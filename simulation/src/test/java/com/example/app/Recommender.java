package com.example.app;

import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.UserProfile;
import io.metafed.model.features.CollabEncoder;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.sdk.AdaptationConfig;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.MetafedClient;
import io.metafed.sdk.Recommendation;
import io.metafed.sdk.transport.DeviceKeys;
import io.metafed.sdk.transport.EligibilityCheck;
import io.metafed.sdk.transport.EligibilityCheck.DeviceConditions;
import io.metafed.sdk.transport.FederatedParticipant;
import io.metafed.sdk.transport.HttpCoordinatorTransport;
import io.metafed.sdk.transport.HttpTransportBuilder;
import io.metafed.sdk.transport.RoundOutcome;
import io.metafed.sdk.transport.TlsTrust;
import io.metafed.security.signature.Ed25519PublicKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** One user's private recommender on the device: rate, take part in federated rounds, recommend, forget. */
public final class Recommender implements AutoCloseable {
    private final ParamLayout layout;
    private final HttpCoordinatorTransport transport;
    private final MetafedClient client;
    private final FederatedParticipant participant;

    /**
     * @param appDir      the app's private files directory (Android: {@code context.getFilesDir().toPath()})
     * @param modelKey    the coordinator's model-signing key, shipped with the app (model-signing-key.pub.pem)
     * @param devCertPem  the coordinator's self-signed development certificate, or null for a CA-signed one
     * @param conditions  what the platform says now (charging, unmetered network, idle)
     */
    public Recommender(Path appDir, URI coordinator, String modelKey, String devCertPem, String enrollmentToken,
            String deviceId, UserProfile user, Map<Integer, ItemProfile> catalog,
            Supplier<DeviceConditions> conditions) {
        layout = layoutOf(catalog);
        HttpTransportBuilder http = HttpCoordinatorTransport.builder(coordinator)
                .modelKey(Ed25519PublicKey.fromText(modelKey))             // every model is verified before use
                .deviceKeys(DeviceKeys.inDirectory(appDir.resolve("keys"))) // signs enrollment and requests
                .enrollmentToken(enrollmentToken)
                .modelCache(appDir.resolve("model.cache"));               // 304 instead of the model when unchanged
        if (devCertPem != null) {
            http.sslContext(TlsTrust.fromPemCertificate(devCertPem));
        }
        transport = http.build();
        client = MetafedClient.builder()
                .storePath(appDir.resolve("ratings.store"))                 // private, stays on the device
                .user(user).catalog(catalog).layout(layout)
                .build();
        participant = new FederatedParticipant(deviceId, client, layout, transport, 42L,
                EligibilityCheck.chargingUnmeteredIdle(conditions), FederatedParticipant.DEFAULT_POLL_INTERVAL,
                Clock.systemUTC());
    }

    /**
     * The layout the coordinator serves (run-coordinator.sh --catalog with these item ids, --genres 19, defaults
     * otherwise): the collaborative model, whose user parameters stay on the device. Tasks and models carry its
     * id, so a device with another catalogue is refused, never confused.
     */
    public static ParamLayout layoutOf(Map<Integer, ItemProfile> catalog) {
        int[] items = catalog.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        return ParamLayout.of(CollabConfig.defaults(items, CollabEncoder.contentWidth(19)));
    }

    public void enroll() {
        participant.enroll();
    }

    public void rate(int item, float stars) {
        client.recordRating(item, stars);
    }

    /** From a background job (e.g. WorkManager): one round if there is one; schedule the next job at nextPoll(). */
    public RoundOutcome takePartInRound() {
        return participant.participate(); // only Δ = φ − θ and its example count leave the device
    }

    /** The k best candidates for this user, with the current model and the user reconstructed from their ratings. */
    public List<Recommendation> top(int k, int[] candidates) {
        GlobalModel current = transport.downloadModel(layout); // the cached copy on 304, verified again
        if (client.ratingCount() == 0) {
            client.useGlobalModel(current);                    // cold start: the user at the shared prior
        } else {
            client.adapt(current, AdaptationConfig.fullBatch(0, 0.05f)); // z from the ratings, in closed form
        }
        return client.recommend(k, candidates);
    }

    /** Right to erasure: ratings, models, cached model and device keys are deleted from the device. */
    public void forgetMe() {
        participant.deleteAllData();
    }

    @Override
    public void close() {
        client.close();
    }
}
