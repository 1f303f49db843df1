package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.format.WeightFile;
import io.metafed.model.format.Weights;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.CanonicalRequest;
import io.metafed.model.protocol.Protocol;
import io.metafed.model.protocol.SignedMessages;
import io.metafed.security.signature.Ed25519KeyPair;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator JVM with client authentication on, killed with SIGKILL at seeded random points while four
 * signing clients submit continuously, and restarted on the same data directory each time. After every kill:
 * every checkpoint on disk is valid and every version ever served is on disk with the exact bytes served; after
 * every restart: the served version does not go back, round ids are not reused and enrolled clients need not
 * enroll again (see {@link CrashWorkload}).
 */
@Timeout(180)
class CrashRestartTest {
    private static final int KILLS = 6;
    private static final Pattern CHECKPOINT = Pattern.compile("model-(\\d{12})\\.mfwt");

    @TempDir
    Path dir;

    @Test
    void killNineAtRandomPoints_noServedVersionLostOrChangedAndRoundIdsNeverReused() throws Exception {
        Path data = dir.resolve("data");
        Path tokens = Files.writeString(dir.resolve("tokens.txt"), SignedRequests.TOKEN + "\n");
        List<String> args = List.of("--clients-per-round", "3", "--min-updates", "2", "--min-clients", "3",
                "--over-selection", "1", "--round-seconds", "3", "--enrollment-token-file", tokens.toString(),
                "--keep-every-checkpoint", "1", // every served version must stay on disk for the check below
                "--plain-updates", // the workload sends plain updates
                "--model", "melu"); // of the MeLU layout, FederationConfig.defaults()
        ParamLayout layout = FederationConfig.defaults().layout();
        Map<String, Ed25519KeyPair> keys = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            keys.put("c" + i, Ed25519KeyPair.generate());
        }
        CrashWorkload workload = new CrashWorkload(keys, layout);
        SplittableRandom random = new SplittableRandom(0xc7a54L);
        for (int life = 0; life <= KILLS; life++) {
            List<String> lifeArgs = new java.util.ArrayList<>(args);
            if (life == 0) {
                lifeArgs.add("--init"); // later lifetimes must find the key and checkpoints it made
            }
            try (CoordinatorProcess server = CoordinatorProcess.start(data, dir.resolve("life" + life + ".err"),
                    lifeArgs)) {
                TestClient http = new TestClient(server.uri(), server.certificate());
                if (life == 0) {
                    keys.forEach((id, key) -> enroll(http, id, key));
                } else {
                    checkServedAfterRestart(http, workload);
                }
                long before = workload.maxServedVersion();
                workload.start(http);
                if (life < KILLS) {
                    Thread.sleep(100 + random.nextInt(1_400));
                    workload.crashing();
                    server.kill();
                } else {
                    // The last lifetime is not killed: the federation must still make progress.
                    http.awaitModelVersion(Math.max(before, 0) + 2);
                }
                workload.stop();
            }
            assertTrue(workload.failures.isEmpty(), () -> "lifetime " + workload.failures);
            checkCheckpoints(data.resolve("checkpoints"), layout, workload.served);
        }
        System.out.printf("Crash test: %d kills, %d updates accepted, model versions served 0..%d%n", KILLS,
                workload.accepted.get(), workload.maxServedVersion());
        assertTrue(workload.maxServedVersion() >= KILLS / 2, "too little progress: " + workload.served.keySet());
    }

    private static void enroll(TestClient http, String id, Ed25519KeyPair key) {
        try {
            HttpResponse<byte[]> r = http.sendSigned("POST", Protocol.ENROLL,
                    SignedRequests.enrollBody(id, key, SignedRequests.TOKEN), id, CanonicalRequest.NO_ROUND, key);
            assertEquals(200, r.statusCode(), () -> new String(r.body()));
        } catch (Exception e) {
            throw new AssertionError("enrolling " + id, e);
        }
    }

    /** The model served after a restart is no older than any served before, with the same bytes if seen. */
    private static void checkServedAfterRestart(TestClient http, CrashWorkload workload) throws Exception {
        HttpResponse<byte[]> m = http.send("GET", Protocol.MODEL, null);
        assertEquals(200, m.statusCode());
        long version = Long.parseLong(m.headers().firstValue(Protocol.MODEL_VERSION_HEADER).orElseThrow());
        assertTrue(version >= workload.maxServedVersion(), "served version went back from "
                + workload.maxServedVersion() + " to " + version);
        workload.served(version, m.body(), "after restart");
    }

    /** Every checkpoint reads back valid under its own version; every served version is on disk, bit-identical. */
    private static void checkCheckpoints(Path checkpoints, ParamLayout layout, Map<Long, String> served)
            throws Exception {
        Map<Long, String> onDisk = new TreeMap<>();
        try (Stream<Path> files = Files.list(checkpoints)) {
            for (Path file : files.toList()) {
                Matcher name = CHECKPOINT.matcher(file.getFileName().toString());
                if (!name.matches()) {
                    continue; // a temporary file of an interrupted atomic write is not a checkpoint
                }
                Weights w = WeightFile.read(file, layout);
                long version = Long.parseLong(name.group(1));
                assertEquals(Long.toString(version), w.metadata().get(Protocol.META_MODEL_VERSION), file.toString());
                onDisk.put(version, SignedMessages.sha256Hex(Files.readAllBytes(file)));
            }
        }
        served.forEach((version, hash) -> {
            if (version > 0) { // version 0 is θ₀, made from the seed rather than stored
                assertEquals(hash, onDisk.get(version), "served model version " + version + " vs checkpoint");
            }
        });
    }
}
