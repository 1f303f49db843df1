package io.metafed.sdk.transport;

import static io.metafed.sdk.transport.TransportFixtures.LAYOUT;
import static io.metafed.sdk.transport.TransportFixtures.POLICY;
import static io.metafed.sdk.transport.TransportFixtures.builder;
import static io.metafed.sdk.transport.TransportFixtures.task;
import static io.metafed.sdk.transport.TransportFixtures.taskJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.protocol.Protocol;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.transport.StubCoordinator.Reply;
import io.metafed.sdk.transport.TransportFixtures.RecordingSleeper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which failures {@link HttpCoordinatorTransport} retries, how long it waits, and when it gives up. */
class HttpCoordinatorTransportRetryTest {
    private StubCoordinator stub;
    private final RecordingSleeper sleeper = new RecordingSleeper();

    @BeforeEach
    void start() throws IOException {
        stub = StubCoordinator.http();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void task_twoServiceUnavailableThenOk_succeedsOnThirdAttemptWithGrowingBackoff() {
        stub.on(Protocol.TASK, Reply.of(503), Reply.of(503), Reply.json(200, taskJson(7, 2)));
        var got = builder(stub, sleeper).build().task("device-1");
        assertEquals(7, got.orElseThrow().roundId());
        assertEquals(3, stub.seen().size());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), sleeper.sleeps);
    }

    @Test
    void task_seededJitter_waitsWithinZeroAndBackoffCap() {
        stub.on(Protocol.TASK, Reply.of(502), Reply.of(500), Reply.of(504), Reply.of(204));
        builder(stub, sleeper).random(new Random(3)).build().task("device-1");
        assertEquals(3, sleeper.sleeps.size());
        for (int r = 1; r <= 3; r++) {
            Duration wait = sleeper.sleeps.get(r - 1);
            assertTrue(!wait.isNegative() && wait.compareTo(POLICY.backoffCap(r)) <= 0, r + ": " + wait);
        }
    }

    @Test
    void enroll_connectionRefused_retriesMaxAttemptsThenUnavailable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // closed again below: nothing listens there
        }
        var transport = HttpCoordinatorTransport.builder(URI.create("http://127.0.0.1:" + port))
                .retryPolicy(POLICY).random(TransportFixtures.MAX_JITTER).sleeper(sleeper).allowUnsignedModels().build();
        TransportException e = assertThrows(TransportException.class, () -> transport.enroll("device-1"));
        assertEquals(TransportException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.retryable());
        assertEquals(OptionalInt.empty(), e.status());
        assertInstanceOf(ConnectException.class, e.getCause());
        assertEquals(POLICY.maxAttempts() - 1, sleeper.sleeps.size());
    }

    @Test
    void task_serviceUnavailableEveryTime_unavailableWithLastStatusAndCode() {
        stub.on(Protocol.TASK, Reply.error(503, "overloaded", "a"), Reply.of(503), Reply.of(503),
                Reply.error(503, "overloaded", "try later"));
        TransportException e = assertThrows(TransportException.class,
                () -> builder(stub, sleeper).build().task("device-1"));
        assertEquals(TransportException.Kind.UNAVAILABLE, e.kind());
        assertEquals(503, e.status().orElseThrow());
        assertEquals("overloaded", e.errorCode().orElseThrow());
        assertEquals(4, stub.seen().size());
    }

    @Test
    void submit_badUpdate_refusedAtOnceWithServerCodeAndMessage() {
        stub.on(Protocol.UPDATE, Reply.error(400, "bad_update", "weight must be > 0, found 0"));
        var update = new LocalUpdate(2, new float[LAYOUT.size()], 5, 1.0, 0.5);
        TransportException e = assertThrows(TransportException.class,
                () -> builder(stub, sleeper).build().submit("device-1", task(7, 2), update, LAYOUT));
        assertEquals(TransportException.Kind.REFUSED, e.kind());
        assertEquals(400, e.status().orElseThrow());
        assertEquals("bad_update", e.errorCode().orElseThrow());
        assertTrue(e.getMessage().contains("weight must be > 0, found 0"), e.getMessage());
        assertEquals(1, stub.seen().size());
        assertEquals(List.of(), sleeper.sleeps);
    }

    @Test
    void task_tooManyRequestsWithRetryAfter_waitsServerDelayCappedAtMaxBackoff() {
        stub.on(Protocol.TASK, Reply.of(429).withHeader("Retry-After", "2"),
                Reply.of(429).withHeader("Retry-After", "120"), Reply.of(204));
        assertTrue(builder(stub, sleeper).build().task("device-1").isEmpty());
        assertEquals(List.of(Duration.ofSeconds(2), POLICY.maxBackoff()), sleeper.sleeps);
    }

    @Test
    void submit_serverErrorThenDuplicate_treatedAsLandedSuccess() {
        stub.on(Protocol.UPDATE, Reply.error(500, "internal", "boom"),
                Reply.error(409, "duplicate_update", "device-1 already submitted round 7"));
        var update = new LocalUpdate(2, new float[LAYOUT.size()], 5, 1.0, 0.5);
        builder(stub, sleeper).build().submit("device-1", task(7, 2), update, LAYOUT);
        assertEquals(2, stub.seen().size());
    }

    @Test
    void submit_duplicateOnFirstAttempt_refused() {
        stub.on(Protocol.UPDATE, Reply.error(409, "duplicate_update", "device-1 already submitted round 7"));
        var update = new LocalUpdate(2, new float[LAYOUT.size()], 5, 1.0, 0.5);
        TransportException e = assertThrows(TransportException.class,
                () -> builder(stub, sleeper).build().submit("device-1", task(7, 2), update, LAYOUT));
        assertEquals("duplicate_update", e.errorCode().orElseThrow());
        assertEquals(TransportException.Kind.REFUSED, e.kind());
    }

    @Test
    void submit_tooManyRequestsThenDuplicate_refusedBecause429WasNotProcessed() {
        stub.on(Protocol.UPDATE, Reply.of(429), Reply.error(409, "duplicate_update", "already submitted"));
        var update = new LocalUpdate(2, new float[LAYOUT.size()], 5, 1.0, 0.5);
        TransportException e = assertThrows(TransportException.class,
                () -> builder(stub, sleeper).build().submit("device-1", task(7, 2), update, LAYOUT));
        assertEquals("duplicate_update", e.errorCode().orElseThrow());
    }

    @Test
    void task_requestTimeout_retriedAndSucceeds() {
        // The timeout leaves the prompt second reply ample time even on a loaded machine (it flaked at 300 ms).
        stub.on(Protocol.TASK, Reply.json(200, taskJson(1, 0)).delayed(15_000), Reply.json(200, taskJson(1, 0)));
        var transport = builder(stub, sleeper).requestTimeout(Duration.ofMillis(3_000)).build();
        assertEquals(1, transport.task("device-1").orElseThrow().roundId());
        assertEquals(2, stub.seen().size());
        assertEquals(1, sleeper.sleeps.size());
    }

    @Test
    void task_requestTimeoutEveryTime_unavailableCausedByTimeout() {
        Reply slow = Reply.of(204).delayed(3_000);
        stub.on(Protocol.TASK, slow, slow);
        var transport = builder(stub, sleeper).requestTimeout(Duration.ofMillis(200))
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), 1.0)).build();
        TransportException e = assertThrows(TransportException.class, () -> transport.task("device-1"));
        assertInstanceOf(SocketTimeoutException.class, e.getCause()); // HttpURLConnection's read timeout
    }
}
