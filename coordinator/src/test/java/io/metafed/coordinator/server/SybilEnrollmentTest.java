package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.coordinator.server.auth.EnrollmentLimits;
import io.metafed.coordinator.server.auth.EnrollmentToken;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.Protocol;
import io.metafed.security.signature.Ed25519KeyPair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The adversarial trial's Sybil attack (285 device ids in 3 s from one token) through the real server on loopback:
 * hundreds of concurrent enrollments with one token, refused past the token's quota and past the per-address rate;
 * single-use tokens; token and device revocation by the operator command while the server runs. Honest devices are
 * unaffected throughout.
 */
@Timeout(120)
class SybilEnrollmentTest {
    static final String ATTACKER_TOKEN = "leaked-app-token-0000000001";
    static final String HONEST_TOKEN = "honest-fleet-token-00000002";
    static final String ONCE_TOKEN = "single-use-token-0000000003";
    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(Instant.now());
    final Map<String, Ed25519KeyPair> keys = new HashMap<>();

    private CoordinatorServer start(EnrollmentLimits limits) throws Exception {
        AuthConfig auth = new AuthConfig(true, List.of(EnrollmentToken.parse(ATTACKER_TOKEN + " name=app max=50"),
                EnrollmentToken.parse(HONEST_TOKEN + " name=fleet"),
                EnrollmentToken.parse(ONCE_TOKEN + " max=1 name=once")), limits);
        FederationConfig federation = FederationConfig.defaults().withRounds(2, 2, 2, Duration.ofSeconds(30));
        return CoordinatorServer.start(ServerConfig.local(dir).withFederation(federation).withAuth(auth), clock);
    }

    private CompletableFuture<HttpResponse<byte[]>> enroll(TestClient http, String id, String token) {
        Ed25519KeyPair key = keys.computeIfAbsent(id, i -> Ed25519KeyPair.generate());
        return http.sendSignedAsync("POST", Protocol.ENROLL, SignedRequests.enrollBody(id, key, token), id,
                CanonicalRequest.NO_ROUND, key);
    }

    private HttpResponse<byte[]> task(TestClient http, String id) throws Exception {
        return http.sendSigned("GET", Protocol.TASK + "?client=" + id, new byte[0], id, CanonicalRequest.NO_ROUND,
                keys.get(id));
    }

    /** Fires {@code n} concurrent enrollments of fresh ids with {@code token}; returns status → count. */
    private Map<Integer, Integer> flood(TestClient http, String prefix, int n, String token) {
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(enroll(http, prefix + i, token));
        }
        Map<Integer, Integer> statuses = new HashMap<>();
        all.forEach(f -> statuses.merge(f.join().statusCode(), 1, Integer::sum));
        return statuses;
    }

    private static String error(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void floodWithOneToken_refusedPastItsQuota_honestTokenAndDevicesUnaffected() throws Exception {
        try (CoordinatorServer server = start(EnrollmentLimits.NONE)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            assertEquals(200, enroll(http, "honest-0", HONEST_TOKEN).join().statusCode());
            Map<Integer, Integer> statuses = flood(http, "sybil-", 300, ATTACKER_TOKEN);
            assertEquals(Map.of(200, 50, 403, 250), statuses, "max=50 holds under 300 concurrent enrollments");
            HttpResponse<byte[]> refused = enroll(http, "sybil-late", ATTACKER_TOKEN).join();
            assertEquals(403, refused.statusCode());
            assertTrue(error(refused).contains("token_exhausted") && error(refused).contains("app"), error(refused));
            assertEquals(51, server.federation().clients().size());
            assertEquals(50, server.federation().clients().enrolledWith("app"));
            // Re-enrolling an enrolled key needs no token and counts against no quota.
            assertEquals(200, enroll(http, "sybil-0", ATTACKER_TOKEN).join().statusCode());
            // Honest devices: a second one enrolls with its own token; the first gets tasks as before.
            assertEquals(200, enroll(http, "honest-1", HONEST_TOKEN).join().statusCode());
            int status = task(http, "honest-0").statusCode();
            assertTrue(status == 200 || status == 204, "honest task request answered " + status);
        }
        // The quota is durable: after a restart the token is still exhausted.
        try (CoordinatorServer server = start(EnrollmentLimits.NONE)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            assertEquals(403, enroll(http, "sybil-after-restart", ATTACKER_TOKEN).join().statusCode());
        }
    }

    @Test
    void floodFromOneAddress_rateLimitedWith429_thenAdmittedAfterTheWindow() throws Exception {
        try (CoordinatorServer server = start(new EnrollmentLimits(20, 0))) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            Map<Integer, Integer> statuses = flood(http, "sybil-", 300, HONEST_TOKEN);
            assertEquals(Map.of(200, 20, 429, 280), statuses, "20 per address per minute");
            HttpResponse<byte[]> limited = enroll(http, "honest-0", HONEST_TOKEN).join();
            assertEquals(429, limited.statusCode());
            long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 3, "one permit refills in 3 s, Retry-After " + retryAfter);
            // Time passes (the server's clock): the bucket refills and an honest device enrolls.
            clock.advance(Duration.ofSeconds(retryAfter));
            assertEquals(200, enroll(http, "honest-0", HONEST_TOKEN).join().statusCode());
            assertEquals(21, server.federation().clients().size());
        }
    }

    @Test
    void perTokenRate_limitsNewDevicesOfOneToken_otherTokensUnaffected() throws Exception {
        try (CoordinatorServer server = start(new EnrollmentLimits(0, 10))) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            assertEquals(Map.of(200, 10, 429, 40), flood(http, "sybil-", 50, HONEST_TOKEN));
            assertEquals(200, enroll(http, "other-0", ATTACKER_TOKEN).join().statusCode(), "another token");
        }
    }

    @Test
    void singleUseToken_enrollsOneDeviceOnly() throws Exception {
        try (CoordinatorServer server = start(EnrollmentLimits.NONE)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            assertEquals(200, enroll(http, "phone", ONCE_TOKEN).join().statusCode());
            HttpResponse<byte[]> second = enroll(http, "second-phone", ONCE_TOKEN).join();
            assertEquals(403, second.statusCode());
            assertTrue(error(second).contains("token_exhausted"), error(second));
            assertEquals(200, enroll(http, "phone", ONCE_TOKEN).join().statusCode(), "same device again");
        }
    }

    @Test
    void operatorRevokesDeviceAndToken_whileServing_refusedWithin1s_othersServed() throws Exception {
        try (CoordinatorServer server = start(EnrollmentLimits.NONE)) {
            TestClient http = new TestClient(server.uri(), server.certificateFile().orElseThrow());
            for (String id : List.of("sybil-0", "sybil-1", "honest-0")) {
                assertEquals(200, enroll(http, id, id.startsWith("sybil") ? ATTACKER_TOKEN : HONEST_TOKEN).join()
                        .statusCode());
            }
            String count = admin("devices", "count", "--data-dir", dir.toString());
            assertEquals("enrolled 3, revoked 0, active 3", count.trim());
            String listed = admin("devices", "list", "--data-dir", dir.toString(), "--token", "app");
            assertEquals(2, listed.lines().count(), listed);
            assertTrue(listed.contains("sybil-0\t") && listed.contains("\tapp\tactive"), listed);

            admin("devices", "revoke", "--data-dir", dir.toString(), "sybil-0");
            admin("tokens", "revoke", "--data-dir", dir.toString(), "app");
            clock.advance(Duration.ofSeconds(2)); // the server re-reads revocations.log at most once a second
            HttpResponse<byte[]> revoked = task(http, "sybil-0");
            assertEquals(403, revoked.statusCode());
            assertTrue(error(revoked).contains("\"revoked\""), error(revoked));
            assertFalse(server.federation().coordinator().config() == null);
            HttpResponse<byte[]> newWithRevokedToken = enroll(http, "sybil-2", ATTACKER_TOKEN).join();
            assertEquals(403, newWithRevokedToken.statusCode());
            assertTrue(error(newWithRevokedToken).contains("revoked"), error(newWithRevokedToken));
            // A revoked id cannot come back, not even with a good token and a fresh key.
            keys.remove("sybil-0");
            assertEquals(403, enroll(http, "sybil-0", HONEST_TOKEN).join().statusCode());
            for (String ok : List.of("sybil-1", "honest-0")) {
                int status = task(http, ok).statusCode();
                assertTrue(status == 200 || status == 204, ok + " answered " + status);
            }
            assertEquals(200, enroll(http, "honest-1", HONEST_TOKEN).join().statusCode());
            assertEquals("enrolled 4, revoked 1, active 3", admin("devices", "count", "--data-dir", dir.toString())
                    .trim());
            assertTrue(admin("tokens", "list", "--data-dir", dir.toString()).contains("app\t2 devices\trevoked"));
        }
    }

    private static String admin(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new CoordinatorMain()).execute(args);
            assertEquals(0, code, "exit code of " + String.join(" ", args));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tokenFileSyntax_errorsNameFileLineAndOption() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# fleet\n" + HONEST_TOKEN + " name=fleet max=100\n" + ONCE_TOKEN + " max=one\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AuthConfig.readTokenFile(file));
        assertTrue(e.getMessage().startsWith(file + ":3: max must be a whole number"), e.getMessage());
        assertFalse(e.getMessage().contains(ONCE_TOKEN), "never echo a token");
        Files.writeString(file, HONEST_TOKEN + " name=fleet max=100\n" + ONCE_TOKEN + "\n");
        List<EnrollmentToken> tokens = AuthConfig.readTokenFile(file);
        assertEquals(100, tokens.get(0).maxDevices());
        assertEquals(EnrollmentToken.UNLIMITED, tokens.get(1).maxDevices());
        assertTrue(tokens.get(1).name().matches("token-[0-9a-f]{8}"));
    }
}
