package io.metafed.simulation.spark;

import io.metafed.model.algorithm.FederatedAlgorithm;
import io.metafed.model.algorithm.LocalTraining;
import io.metafed.model.data.Dataset;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import io.metafed.simulation.federation.ClientSetup;
import java.io.Serializable;

/**
 * What every executor needs once per client population, broadcast when the population is created: the catalogue
 * (side information) and how the devices' layout is made from it, checked against the driver's layout id.
 *
 * @param run     a key unique to this population, naming its executor-side caches and store directory
 * @param catalog {@link CatalogCodec} bytes
 */
record ClientContext(String run, byte[] catalog, ModelFamily model, int dim, double lambda, double itemReg,
                     int itemRows, boolean innerRates, long layoutId) implements Serializable {

    static ClientContext of(String run, ClientSetup setup) {
        CollabSettings c = setup.collab();
        return new ClientContext(run, CatalogCodec.encode(setup.data()), setup.model(), c.dim(), c.lambda(),
                c.itemReg(), c.itemRows(), setup.layout().hasInnerRates(), setup.layout().id());
    }

    /** The devices' layout, made from {@code catalog} as the driver made it from the whole dataset. */
    ParamLayout layout(Dataset catalog) {
        ParamLayout base = SimulationRunner.layout(model, new CollabSettings(dim, lambda, itemReg, itemRows), catalog);
        ParamLayout layout = innerRates ? base.withInnerRates() : base;
        if (layout.id() != layoutId) {
            throw new IllegalStateException("executor rebuilt layout " + Long.toHexString(layout.id()) + " ("
                    + layout + "), expected the driver's " + Long.toHexString(layoutId));
        }
        return layout;
    }

    /** A round's task in serializable form: {@link LocalTraining} is a plain value of the model module. */
    record Training(FederatedAlgorithm algorithm, int steps, int epochs, double learningRate, int batchSize,
                    double metaStepSize) implements Serializable {
        static Training of(LocalTraining t) {
            return new Training(t.algorithm(), t.steps(), t.epochs(), t.learningRate(), t.batchSize(),
                    t.metaStepSize());
        }

        LocalTraining toLocal() {
            return new LocalTraining(algorithm, steps, epochs, learningRate, batchSize, metaStepSize);
        }
    }

    /**
     * One round's broadcast: θ, the task, who is selected (sorted, for binary search on every executor) and the
     * seed the per-client seeds derive from.
     */
    record Round(int roundId, long modelVersion, float[] theta, Training training, int[] selected, long seed)
            implements Serializable {
    }
}
