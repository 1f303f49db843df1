package io.metafed.sdk.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.protocol.SecureAggregationTask;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.secagg.FixedPointEncoder;
import io.metafed.security.secagg.SecAggConfig;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import io.metafed.security.secagg.SecAggServer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The device side of a secure round against an in-memory channel backed by the library's {@link SecAggServer}:
 * three devices complete a round and the server's sum is their encoded updates; a roster that breaks the
 * protocol is {@code BAD_RESPONSE}; an update of another length is refused before anything is sent.
 */
class SecureAggregationRoundTest {
    private static final int N = 3;
    private static final int PARAMS = 4;

    /** Stages close as soon as all N devices answered; waits return empty until then. */
    private static class MemoryChannel implements SecureAggregationChannel {
        final SecAggServer server;
        final int n;
        int answered;
        KeyRoster roster;
        Map<Integer, ShareInbox> inboxes;
        UnmaskRequest request;
        int[] sum;

        MemoryChannel() {
            this(new SecAggConfig(N, 2, PARAMS + 1, 9));
        }

        MemoryChannel(SecAggConfig config) {
            server = new SecAggServer(config);
            n = config.clientCount();
        }

        private void answered(Runnable close) {
            if (++answered == n) {
                answered = 0;
                close.run();
            }
        }

        @Override
        public synchronized void advertiseKeys(String c, TaskResponse t, KeyAdvertisement keys) {
            server.acceptKeys(keys);
            answered(() -> roster = server.closeKeyAdvertisement().orElseThrow());
        }

        @Override
        public synchronized Optional<KeyRoster> roster(String c, TaskResponse t) {
            return Optional.ofNullable(roster);
        }

        @Override
        public synchronized void sendShares(String c, TaskResponse t, ShareUpload shares) {
            server.acceptShares(shares);
            answered(() -> inboxes = server.closeShareKeys().orElseThrow());
        }

        @Override
        public synchronized Optional<ShareInbox> inbox(String c, TaskResponse t) {
            return Optional.ofNullable(inboxes).map(m -> m.get(t.secureAggregation().clientIndex()));
        }

        @Override
        public synchronized void sendMaskedInput(String c, TaskResponse t, MaskedInput input) {
            server.acceptMaskedInput(input);
            answered(() -> request = server.closeMaskedInput().orElseThrow());
        }

        @Override
        public synchronized Optional<UnmaskRequest> unmaskRequest(String c, TaskResponse t) {
            return Optional.ofNullable(request);
        }

        @Override
        public synchronized void sendUnmask(String c, TaskResponse t, UnmaskResponse response) {
            server.acceptUnmaskResponse(response);
            answered(() -> sum = server.finish().orElseThrow());
        }
    }

    private static TaskResponse task(int index) {
        return new TaskResponse(9, 1, "0123456789abcdef", System.currentTimeMillis() + 5_000, 1, 0.1, 4,
                new SecureAggregationTask(index, N, 2, PARAMS + 1, 10.0, 100, N, 1_000));
    }

    @Test
    void run_threeDevices_serverSumIsTheirEncodedUpdates() throws Exception {
        MemoryChannel channel = new MemoryChannel();
        ExecutorService pool = Executors.newFixedThreadPool(N);
        try {
            List<Future<Double>> done = new ArrayList<>();
            for (int i = 1; i <= N; i++) {
                int index = i;
                float[] delta = {0.1f * i, -0.2f, 0.3f, 0f};
                done.add(pool.submit(() -> new SecureAggregationRound(channel, "d" + index, task(index),
                        new SecureRandom()).run(delta, 10 * index)));
            }
            for (Future<Double> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        FixedPointEncoder encoder = new FixedPointEncoder(10.0, 100, N);
        int[] expected = new int[PARAMS + 1];
        for (int i = 1; i <= N; i++) {
            int[] e = encoder.encode(new float[] {0.1f * i, -0.2f, 0.3f, 0f}, 10 * i);
            for (int k = 0; k < expected.length; k++) {
                expected[k] += e[k];
            }
        }
        assertArrayEquals(expected, channel.sum);
    }

    @Test
    void run_secAggPlusRound_twelveDevicesWithFourNeighboursEach_serverSumIsTheirEncodedUpdates() throws Exception {
        int n = 12;
        MemoryChannel channel = new MemoryChannel(new SecAggConfig(n, 3, PARAMS + 1, 9, 4, 0x1234L));
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Integer> sharesSent = java.util.Collections.synchronizedList(new ArrayList<>());
        SecureAggregationChannel counting = new ForwardingChannel(channel) {
            @Override
            public void sendShares(String c, TaskResponse t, ShareUpload shares) {
                sharesSent.add(shares.shares().size());
                super.sendShares(c, t, shares);
            }
        };
        try {
            List<Future<Double>> done = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                int index = i;
                TaskResponse task = new TaskResponse(9, 1, "0123456789abcdef", System.currentTimeMillis() + 5_000, 1,
                        0.1, 4, new SecureAggregationTask(index, n, 3, PARAMS + 1, 10.0, 100, n, 1_000, false,
                        SecureAggregationTask.MODE_SECAGG_PLUS, 4, 0x1234L));
                done.add(pool.submit(() -> new SecureAggregationRound(counting, "d" + index, task, new SecureRandom())
                        .run(new float[] {0.01f * index, 0f, 0f, 0f}, index)));
            }
            for (Future<Double> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(java.util.Collections.nCopies(n, 4), sharesSent); // neighbours only, not n − 1 = 11 peers
        FixedPointEncoder encoder = new FixedPointEncoder(10.0, 100, n);
        int[] expected = new int[PARAMS + 1];
        for (int i = 1; i <= n; i++) {
            int[] e = encoder.encode(new float[] {0.01f * i, 0f, 0f, 0f}, i);
            for (int k = 0; k < expected.length; k++) {
                expected[k] += e[k];
            }
        }
        assertArrayEquals(expected, channel.sum);
    }

    @Test
    void run_unknownMode_refusedNamingTheModeBeforeAnythingIsSent() {
        MemoryChannel channel = new MemoryChannel();
        TaskResponse task = new TaskResponse(9, 1, "0123456789abcdef", System.currentTimeMillis() + 5_000, 1, 0.1, 4,
                new SecureAggregationTask(1, N, 2, PARAMS + 1, 10.0, 100, N, 1_000, false, "secagg-plus-v9", 2, 0L));
        TransportException e = assertThrows(TransportException.class, () -> new SecureAggregationRound(channel, "d1",
                task, new SecureRandom()).run(new float[PARAMS], 5));
        assertEquals(TransportException.Kind.REFUSED, e.kind());
        assertEquals(Optional.of(SecureAggregationRound.UNSUPPORTED), e.errorCode());
        assertTrue(e.getMessage().contains("'secagg-plus-v9'"), e.getMessage());
        assertNull(channel.roster); // no key advertisement reached the server
        assertEquals(0, channel.answered);
    }

    @Test
    void task_withoutModeField_isBonawitzForBackwardCompatibility() {
        String json = "{\"clientIndex\":1,\"clientCount\":3,\"threshold\":2,\"dimension\":5,\"clipNorm\":10.0,"
                + "\"maxWeight\":100.0,\"maxClients\":3,\"stageTimeoutMillis\":1000,\"signed\":false}";
        SecureAggregationTask t = new com.google.gson.Gson().fromJson(json, SecureAggregationTask.class);
        assertTrue(t.knownMode());
        assertNull(t.mode());
        assertEquals(2, t.neighbourCount()); // n − 1: the complete graph
    }

    /** Passes every call to another channel; tests override the calls they watch. */
    private static class ForwardingChannel implements SecureAggregationChannel {
        private final SecureAggregationChannel to;

        ForwardingChannel(SecureAggregationChannel to) {
            this.to = to;
        }

        @Override
        public void advertiseKeys(String c, TaskResponse t, KeyAdvertisement keys) {
            to.advertiseKeys(c, t, keys);
        }

        @Override
        public Optional<KeyRoster> roster(String c, TaskResponse t) {
            return to.roster(c, t);
        }

        @Override
        public void sendShares(String c, TaskResponse t, ShareUpload shares) {
            to.sendShares(c, t, shares);
        }

        @Override
        public Optional<ShareInbox> inbox(String c, TaskResponse t) {
            return to.inbox(c, t);
        }

        @Override
        public void sendMaskedInput(String c, TaskResponse t, MaskedInput input) {
            to.sendMaskedInput(c, t, input);
        }

        @Override
        public Optional<UnmaskRequest> unmaskRequest(String c, TaskResponse t) {
            return to.unmaskRequest(c, t);
        }

        @Override
        public void sendUnmask(String c, TaskResponse t, UnmaskResponse response) {
            to.sendUnmask(c, t, response);
        }
    }

    @Test
    void run_rosterWithoutOwnKeys_badResponse() {
        MemoryChannel channel = new MemoryChannel() {
            @Override
            public synchronized Optional<KeyRoster> roster(String c, TaskResponse t) {
                return Optional.of(new KeyRoster(new java.util.TreeMap<>()));
            }
        };
        TransportException e = assertThrows(TransportException.class, () -> new SecureAggregationRound(channel, "d1",
                task(1), new SecureRandom()).run(new float[PARAMS], 5));
        assertEquals(TransportException.Kind.BAD_RESPONSE, e.kind());
    }

    @Test
    void run_updateOfAnotherLength_refusedBeforeSending() {
        MemoryChannel channel = new MemoryChannel();
        TransportException e = assertThrows(TransportException.class, () -> new SecureAggregationRound(channel, "d1",
                task(1), new SecureRandom()).run(new float[PARAMS + 1], 5));
        assertEquals(TaskChecks.LAYOUT_MISMATCH, e.errorCode().orElseThrow());
        assertEquals(0, channel.answered);
    }
}
