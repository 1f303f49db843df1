package io.metafed.simulation.network;

import io.metafed.coordinator.Coordinator;
import io.metafed.coordinator.RoundTask;
import io.metafed.coordinator.model.ModelVersion;
import io.metafed.coordinator.round.ClientUpdate;
import io.metafed.coordinator.round.CoordinatorException;
import io.metafed.coordinator.round.Refusal;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.onnx.MetafedGraphs;
import io.metafed.model.protocol.ErrorCodes;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.GlobalModel;
import io.metafed.sdk.LocalUpdate;
import io.metafed.sdk.transport.CoordinatorTransport;
import io.metafed.sdk.transport.TransportException;
import java.util.Optional;

/**
 * The devices' {@link CoordinatorTransport} to a {@link Coordinator} in the same process, refusing exactly as the
 * HTTP server does (same {@link Refusal} mapping), so device code runs unchanged in process and over the
 * network. The caller opens and closes rounds and tells this transport which round is open.
 */
public final class InProcessTransport implements CoordinatorTransport {
    private final Coordinator coordinator;
    private volatile RoundTask open;

    public InProcessTransport(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    /** The round whose tasks devices get from now on ({@code null}: none). */
    public void roundOpened(RoundTask task) {
        this.open = task;
    }

    @Override
    public void enroll(String clientId) {
        coordinator.checkIn(clientId);
    }

    @Override
    public Optional<TaskResponse> task(String clientId) {
        RoundTask t = open;
        if (t == null || !t.selectedClients().contains(clientId)) {
            return Optional.empty();
        }
        return Optional.of(TaskResponse.of(t.roundId(), t.modelVersion(), MetafedGraphs.hex(t.layoutId()),
                Long.MAX_VALUE, t.training(), null));
    }

    @Override
    public GlobalModel downloadModel(ParamLayout layout) {
        if (layout.id() != coordinator.layout().id()) {
            throw TransportException.refused(409, "layout_mismatch", "device layout 0x"
                    + MetafedGraphs.hex(layout.id()) + " differs from the coordinator's 0x"
                    + MetafedGraphs.hex(coordinator.layout().id()));
        }
        ModelVersion current = coordinator.currentModel();
        return GlobalModel.of(current.version(), layout, current.params());
    }

    @Override
    public void submit(String clientId, TaskResponse task, LocalUpdate update, ParamLayout layout) {
        try {
            coordinator.submit(new ClientUpdate(clientId, task.roundId(), update.modelVersion(), layout.id(),
                    update.delta(), update.exampleCount()));
        } catch (CoordinatorException e) {
            Refusal r = Refusal.of(e);
            throw TransportException.refused(r.status(), r.code(), r.message());
        } catch (IllegalArgumentException e) {
            throw TransportException.refused(400, ErrorCodes.BAD_UPDATE, e.getMessage());
        }
    }
}
