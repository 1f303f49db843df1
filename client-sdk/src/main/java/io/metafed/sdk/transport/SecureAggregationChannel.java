package io.metafed.sdk.transport;

import io.metafed.model.protocol.TaskResponse;
import io.metafed.security.secagg.SecAggMessages.KeyAdvertisement;
import io.metafed.security.secagg.SecAggMessages.KeyRoster;
import io.metafed.security.secagg.SecAggMessages.MaskedInput;
import io.metafed.security.secagg.SecAggMessages.ShareInbox;
import io.metafed.security.secagg.SecAggMessages.ShareUpload;
import io.metafed.security.secagg.SecAggMessages.UnmaskRequest;
import io.metafed.security.secagg.SecAggMessages.UnmaskResponse;
import java.util.Optional;

/**
 * The four stages of a securely aggregated round (docs/PROTOCOL.md, "Secure aggregation") for a transport that
 * offers them; kept apart from {@link CoordinatorTransport} so plain transports stay small. Sends are idempotent
 * (a repeat of an accepted message is accepted again), so transports may retry them. The waits return empty
 * while the stage they need is still open (after a bounded server-side wait); callers ask again. Failures are
 * {@link TransportException}s, e.g. {@code secagg_failed} once the round failed or {@code secagg_wrong_stage}
 * when this client missed a stage and so left the round.
 */
public interface SecureAggregationChannel {
    void advertiseKeys(String clientId, TaskResponse task, KeyAdvertisement keys);

    Optional<KeyRoster> roster(String clientId, TaskResponse task);

    void sendShares(String clientId, TaskResponse task, ShareUpload shares);

    Optional<ShareInbox> inbox(String clientId, TaskResponse task);

    void sendMaskedInput(String clientId, TaskResponse task, MaskedInput input);

    Optional<UnmaskRequest> unmaskRequest(String clientId, TaskResponse task);

    void sendUnmask(String clientId, TaskResponse task, UnmaskResponse response);
}
