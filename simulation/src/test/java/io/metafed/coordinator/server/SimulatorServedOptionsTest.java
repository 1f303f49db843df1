package io.metafed.coordinator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Dataset;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import io.metafed.simulation.network.ServedLayouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The coordinator options the simulator names for a dataset's model (when a running coordinator serves another)
 * make {@code CoordinatorMain} serve exactly the layout the simulator's devices are built with: same id, for the
 * default settings and for a fitted content schema with another dimension and a hashed table.
 */
class SimulatorServedOptionsTest {
    @TempDir
    Path dir;

    @Test
    void namedOptions_serveTheSimulatorsLayout() throws Exception {
        Dataset data = SyntheticDataGenerator.generate(SyntheticConfig.small(2));
        for (CollabSettings settings : List.of(CollabSettings.DEFAULT, new CollabSettings(8, 2.5, 0.1, 64))) {
            ParamLayout simulator = SimulationRunner.layout(ModelFamily.COLLAB, settings, data);
            CollabConfig c = simulator.collab();
            assertNotNull(c.content(), "the synthetic catalogue has genres and fitted year buckets");
            StringBuilder ids = new StringBuilder();
            for (int id : c.itemIds()) {
                ids.append(id).append('\n');
            }
            Path catalog = Files.writeString(dir.resolve("catalog-" + settings.dim() + ".txt"), ids);
            String options = ServedLayouts.coordinatorOptions(c, catalog);
            // As a shell would split it: the content schema is the one single-quoted word.
            List<String> args = new ArrayList<>();
            for (String word : options.split(" ")) {
                args.add(word.startsWith("'") && word.endsWith("'") ? word.substring(1, word.length() - 1) : word);
            }
            CoordinatorMain main = new CoordinatorMain();
            new CommandLine(main).parseArgs(args.toArray(String[]::new));
            ParamLayout served = main.modelOptions.served().layout();
            assertEquals(simulator.spec().describe(), served.spec().describe(), options);
            assertEquals(simulator.id(), served.id());
            assertTrue(options.contains("--content '" + c.content().describe() + "'"), options);
        }
    }
}
