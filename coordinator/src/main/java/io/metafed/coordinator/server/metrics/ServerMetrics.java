package io.metafed.coordinator.server.metrics;

/** The coordinator server's metrics, named {@code metafed_*}; see docs/PROTOCOL.md for what each means. */
public final class ServerMetrics {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final MetricRegistry registry = new MetricRegistry();
    private final Counter rounds = registry.counter("metafed_rounds_total",
            "Rounds finalized, by result (aggregated or failed).", "result");
    private final Gauge modelVersion = registry.gauge("metafed_model_version", "Version of the served global model.");
    private final Gauge participants = registry.gauge("metafed_round_participants",
            "Updates counted by the last finalized round.");
    private final Gauge aggregationSeconds = registry.gauge("metafed_aggregation_seconds",
            "Duration of the last round close (aggregation and checkpoint save).");
    private final Gauge enrolled = registry.gauge("metafed_enrolled_clients", "Clients enrolled.");
    private final Counter rejected = registry.counter("metafed_updates_rejected_total",
            "Updates refused, by error code.", "reason");
    private final Counter accepted = registry.counter("metafed_updates_accepted_total", "Updates counted.");
    private final Counter requests = registry.counter("metafed_http_requests_total",
            "HTTP responses, by route and status.", "route", "status");
    private final Counter bytesReceived = registry.counter("metafed_bytes_received_total",
            "HTTP bytes received (after TLS decryption).");
    private final Counter bytesSent = registry.counter("metafed_bytes_sent_total",
            "HTTP bytes sent (before TLS encryption).");
    private final Counter secaggRounds = registry.counter("metafed_secagg_rounds_total",
            "Secure-aggregation rounds ended, by result (aggregated or failed).", "result");
    private final Counter secaggStageMillis = registry.counter("metafed_secagg_stage_millis_total",
            "Time secure-aggregation stages stayed open, by stage.", "stage");
    private final Counter secaggStageClients = registry.counter("metafed_secagg_stage_clients_total",
            "Clients that answered each secure-aggregation stage (the survivors), by stage.", "stage");
    private final Counter secaggStages = registry.counter("metafed_secagg_stages_total",
            "Secure-aggregation stages closed, by stage.", "stage");
    private final Counter connectionsRefused = registry.counter("metafed_connections_closed_total",
            "Connections the server closed to bound slow or greedy clients, by reason (per_address, total,"
                    + " request_deadline).", "reason");

    public void connectionRefused(String reason) {
        connectionsRefused.inc(reason);
    }

    public void request(String route, int status) {
        requests.inc(route, Integer.toString(status));
    }

    public void updateRejected(String reason) {
        rejected.inc(reason);
    }

    public void updateAccepted() {
        accepted.inc();
    }

    public void roundFinalized(boolean aggregated, int roundParticipants, double seconds, long version) {
        rounds.inc(aggregated ? "aggregated" : "failed");
        participants.set(roundParticipants);
        aggregationSeconds.set(seconds);
        modelVersion.set(version);
    }

    public void secaggStage(String stage, long millis, int answered) {
        secaggStages.inc(stage);
        secaggStageMillis.add(millis, stage);
        secaggStageClients.add(answered, stage);
    }

    public void secaggRound(boolean aggregated) {
        secaggRounds.inc(aggregated ? "aggregated" : "failed");
    }

    public long secaggStageClients(String stage) {
        return secaggStageClients.value(stage);
    }

    public void modelVersion(long version) {
        modelVersion.set(version);
    }

    public void enrolledClients(int count) {
        enrolled.set(count);
    }

    public void bytesReceived(long n) {
        bytesReceived.add(n);
    }

    public void bytesSent(long n) {
        bytesSent.add(n);
    }

    public long requests(String route, int status) {
        return requests.value(route, Integer.toString(status));
    }

    public long rejected(String reason) {
        return rejected.value(reason);
    }

    public String render() {
        return registry.render();
    }
}
