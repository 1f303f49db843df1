package io.metafed.simulation.federation;

import io.metafed.model.data.Dataset;
import io.metafed.model.data.Interaction;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One population of virtual clients for an {@link ExecutionEngine}: the users' ratings, the dataset whose side
 * information the devices hold, and the layout they train. {@code model} and {@code collab} say how the layout was
 * made from {@code data} ({@code layout} may add Meta-SGD's rates), so a remote engine can rebuild it where the
 * clients run and check it by id; {@code workers} and {@code storeDir} serve the in-process engine.
 */
public record ClientSetup(WorkerRuntimes workers, ParamLayout layout, ModelFamily model, CollabSettings collab,
                          Dataset data, Map<Integer, List<Interaction>> ratingsByUser, Path storeDir) {
    public ClientSetup {
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(collab, "collab");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(ratingsByUser, "ratingsByUser");
        Objects.requireNonNull(storeDir, "storeDir");
    }
}
