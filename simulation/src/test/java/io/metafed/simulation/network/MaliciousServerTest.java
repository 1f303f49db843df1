package io.metafed.simulation.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.secagg.SecAggSettings;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.transport.SecureAggregationChannel;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import io.metafed.security.secagg.SecAggSignatures.SignedRoster;
import io.metafed.security.signature.Ed25519KeyPair;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure aggregation against a malicious server (Bonawitz et al.'s active-adversary variant), with real SDK devices
 * (SecureAggregationRound over the HTTP transport, identity keys from enrollment) and a real coordinator whose
 * broadcasts a lying relay alters on their way to the devices: exactly what a malicious coordinator could send.
 * A swapped advertisement key is caught by its signature before any share leaves a device; a survivor set that
 * differs between devices is caught by the consistency check before any unmask share leaves. The devices lied to
 * reveal nothing; honest devices told the truth finish the round.
 */
@Timeout(120)
class MaliciousServerTest {
    private static final SecAggSettings SECURE = new SecAggSettings(10.0, 1024, Duration.ofSeconds(3),
            Duration.ofMillis(200));
    private static final int CLIENTS = 6; // t = 4

    @TempDir
    Path dir;

    /** What the (malicious) server shows one device, and what that device sent back. */
    static class LyingRelay implements SecureAggregationChannel {
        private final SecureAggregationChannel real;
        private final UnaryOperator<SignedRoster> roster;
        private final UnaryOperator<UnmaskRequest> unmask;
        volatile boolean sharesSent;
        volatile boolean consistencySent;
        volatile boolean unmaskSent;

        LyingRelay(SecureAggregationChannel real, UnaryOperator<SignedRoster> roster,
                UnaryOperator<UnmaskRequest> unmask) {
            this.real = real;
            this.roster = roster;
            this.unmask = unmask;
        }

        @Override
        public Optional<Ed25519KeyPair> identity(String clientId) {
            return real.identity(clientId);
        }

        @Override
        public void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys) {
            real.advertiseKeys(clientId, task, keys);
        }

        @Override
        public void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys, byte[] signature) {
            real.advertiseKeys(clientId, task, keys, signature);
        }

        @Override
        public Optional<KeyRoster> roster(String clientId, TaskResponse task) {
            return signedRoster(clientId, task).map(SignedRoster::roster);
        }

        @Override
        public Optional<SignedRoster> signedRoster(String clientId, TaskResponse task) {
            return real.signedRoster(clientId, task).map(roster);
        }

        @Override
        public void sendShares(String clientId, TaskResponse task, ShareUpload shares) {
            sharesSent = true;
            real.sendShares(clientId, task, shares);
        }

        @Override
        public Optional<ShareInbox> inbox(String clientId, TaskResponse task) {
            return real.inbox(clientId, task);
        }

        @Override
        public void sendMaskedInput(String clientId, TaskResponse task, MaskedInput input) {
            real.sendMaskedInput(clientId, task, input);
        }

        @Override
        public Optional<UnmaskRequest> unmaskRequest(String clientId, TaskResponse task) {
            return real.unmaskRequest(clientId, task).map(unmask);
        }

        @Override
        public void sendConsistency(String clientId, TaskResponse task, byte[] signature) {
            consistencySent = true;
            real.sendConsistency(clientId, task, signature);
        }

        @Override
        public Optional<Map<Integer, byte[]>> survivorSignatures(String clientId, TaskResponse task) {
            return real.survivorSignatures(clientId, task);
        }

        @Override
        public void sendUnmask(String clientId, TaskResponse task, UnmaskResponse response) {
            unmaskSent = true;
            real.sendUnmask(clientId, task, response);
        }
    }

    /** The roster with {@code victim}'s mask key replaced by one the server made; its identity and signature kept. */
    private static SignedRoster swapMaskKey(SignedRoster r, int victim) {
        TreeMap<Integer, KeyAdvertisement> keys = new TreeMap<>(r.roster().keys());
        KeyAdvertisement real = keys.get(victim);
        byte[] serverKey = new byte[32];
        new SecureRandom().nextBytes(serverKey);
        keys.put(victim, new KeyAdvertisement(victim, real.encryptionPublicKey(), serverKey));
        return new SignedRoster(new KeyRoster(keys), r.identities());
    }

    @Test
    void serverSwapsAKey_everyDeviceDetectsItBeforeSharing_roundFailsModelUnchanged() throws Exception {
        try (SecureRoundHarness h = new SecureRoundHarness(dir, CLIENTS, SECURE, Churn.none())) {
            Map<String, LyingRelay> relays = new ConcurrentHashMap<>();
            SecureRoundHarness.RoundRun run = h.round(c -> relays.computeIfAbsent(c, x -> new LyingRelay(
                    h.churning, r -> swapMaskKey(r, 1), UnaryOperator.identity())));
            assertEquals(CLIENTS, relays.size());
            relays.forEach((c, relay) -> assertTrue(!relay.sharesSent, c + " sent shares to a swapped key"));
            assertEquals(CLIENTS, run.failures().size(), "every device aborted: " + run.failures());
            h.messages.forEach((c, m) -> assertTrue(m.contains("not signed by its identity key"), c + ": " + m));
            assertEquals(run.versionBefore(), run.versionAfter(), "the round failed; the model did not move");
            assertTrue(run.included().isEmpty());
        }
    }

    @Test
    void serverLiesAboutSurvivors_liedToDevicesRevealNothing_honestOnesFinishTheRound() throws Exception {
        try (SecureRoundHarness h = new SecureRoundHarness(dir, CLIENTS, SECURE, Churn.none())) {
            Map<String, LyingRelay> relays = new ConcurrentHashMap<>();
            // To two devices, the server claims device 1 dropped: it wants their shares of device 1's mask key,
            // while the others give it device 1's self-mask shares; with both it would unmask x_1.
            Set<String> liedTo = ConcurrentHashMap.newKeySet();
            SecureRoundHarness.RoundRun run = h.round(c -> relays.computeIfAbsent(c, x -> {
                boolean lie = liedTo.size() < 2 && !x.equals(SecureRoundHarness.client(0)) && liedTo.add(x);
                return new LyingRelay(h.churning, UnaryOperator.identity(), lie ? u -> {
                    TreeSet<Integer> survivors = new TreeSet<>(u.survivors());
                    TreeSet<Integer> dropped = new TreeSet<>(u.dropped());
                    int victim = survivors.first();
                    survivors.remove(victim);
                    dropped.add(victim);
                    return new UnmaskRequest(survivors, dropped);
                } : UnaryOperator.identity());
            }));
            assertEquals(2, liedTo.size());
            for (String c : liedTo) {
                LyingRelay relay = relays.get(c);
                assertTrue(relay.consistencySent, c + " signed the survivor set it was shown");
                assertTrue(!relay.unmaskSent, c + " revealed shares although the survivor sets differ");
                assertTrue(h.messages.get(c).contains("consistency check"), c + ": " + h.messages.get(c));
            }
            relays.forEach((c, relay) -> {
                if (!liedTo.contains(c)) {
                    assertTrue(relay.unmaskSent, c + " (told the truth) must finish the round");
                }
            });
            assertEquals(liedTo, run.failures().keySet(), "only the devices lied to abort: " + run.failures());
            assertEquals(run.versionBefore() + 1, run.versionAfter(), "4 honest unmask answers (t = 4) finish it");
            assertEquals(CLIENTS, run.included().size(), "every masked input is in the sum");
        }
    }

    @Test
    void deviceSendsAForgedKeySignature_honestServerRefusesIt400_othersUnaffected() throws Exception {
        try (SecureRoundHarness h = new SecureRoundHarness(dir, CLIENTS, SECURE, Churn.none())) {
            String forger = SecureRoundHarness.client(3);
            SecureRoundHarness.RoundRun run = h.round(c -> !c.equals(forger) ? h.churning
                    : new LyingRelay(h.churning, UnaryOperator.identity(), UnaryOperator.identity()) {
                        @Override
                        public void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys,
                                byte[] signature) {
                            byte[] forged = signature.clone();
                            forged[0] ^= 1;
                            super.advertiseKeys(clientId, task, keys, forged);
                        }
                    });
            assertEquals(Set.of(forger), run.failures().keySet(), run.failures().toString());
            assertEquals("secagg_bad_message", run.failures().get(forger));
            assertEquals(run.versionBefore() + 1, run.versionAfter(), "the other 5 (t = 4) aggregate");
            assertEquals(CLIENTS - 1, run.included().size());
        }
    }
}
