package io.metafed.model.algorithm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.metafed.model.nn.CollabConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TinyModels;
import io.metafed.model.protocol.TaskResponse;
import org.junit.jupiter.api.Test;

class FederatedAlgorithmTest {
    private static final ParamLayout MELU = ParamLayout.of(TinyModels.tinyConfig());
    private static final ParamLayout COLLAB = ParamLayout.of(new CollabConfig(new int[] {1, 2, 3}, 4, 2, 1, 1, 0));

    @Test
    void of_acceptsWireAndEnumNames_andRefusesUnknownListingTheKnown() {
        for (FederatedAlgorithm a : FederatedAlgorithm.values()) {
            assertEquals(a, FederatedAlgorithm.of(a.wireName()));
            assertEquals(a, FederatedAlgorithm.of(a.name()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FederatedAlgorithm.of("quantum-sgd"));
        assertEquals("unknown algorithm 'quantum-sgd': known are fedavg, fedreptile, fomaml, meta-sgd, fedrecon",
                e.getMessage());
    }

    @Test
    void supports_matchesWhatEachFamilyHas() {
        assertTrue(FederatedAlgorithm.FEDAVG.supports(MELU.spec()));
        assertTrue(FederatedAlgorithm.FEDAVG.supports(COLLAB.spec()));
        assertTrue(FederatedAlgorithm.FEDRECON.supports(COLLAB.spec()));
        assertFalse(FederatedAlgorithm.FEDRECON.supports(MELU.spec()));
        assertFalse(FederatedAlgorithm.FOMAML.supports(COLLAB.spec()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FederatedAlgorithm.META_SGD.requireSupports(COLLAB.spec()));
        assertTrue(e.getMessage().endsWith("algorithms for collab: fedavg, fedrecon"), e.getMessage());
    }

    @Test
    void requireFits_metaSgdExactlyWithInnerRates() {
        ParamLayout rates = MELU.withInnerRates();
        FederatedAlgorithm.META_SGD.requireFits(rates);
        assertThrows(IllegalArgumentException.class, () -> FederatedAlgorithm.META_SGD.requireFits(MELU));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FederatedAlgorithm.FEDREPTILE.requireFits(rates));
        assertTrue(e.getMessage().contains("use meta-sgd"), e.getMessage());
        assertEquals(FederatedAlgorithm.META_SGD, FederatedAlgorithm.defaultFor(rates));
        assertEquals(FederatedAlgorithm.FEDREPTILE, FederatedAlgorithm.defaultFor(MELU));
        assertEquals(FederatedAlgorithm.FEDRECON, FederatedAlgorithm.defaultFor(COLLAB));
    }

    @Test
    void withInnerRates_appendsOneSlotOfTheModelsSize_withItsOwnId() {
        ParamLayout rates = MELU.withInnerRates();
        assertEquals(2 * MELU.size(), rates.size());
        assertEquals(MELU.size(), rates.modelSize());
        assertEquals(MELU.size(), rates.slot(ParamLayout.INNER_LR).offset());
        assertEquals(MELU.id(), rates.model().id());
        assertNotEquals(MELU.id(), rates.id());
        assertEquals(rates.id(), MELU.withInnerRates().id(), "the id is a function of the layout");
        assertThrows(IllegalStateException.class, rates::withInnerRates);
        assertThrows(IllegalStateException.class, COLLAB::withInnerRates);
    }

    @Test
    void localTraining_epochsScaleWithTheDevicesData_andAreFedAvgsAlone() {
        LocalTraining fedAvg = LocalTraining.builder(FederatedAlgorithm.FEDAVG).epochs(2).batchSize(10).build();
        assertEquals(2, fedAvg.stepsFor(1));
        assertEquals(2 * 3, fedAvg.stepsFor(21));
        LocalTraining reptile = LocalTraining.builder(FederatedAlgorithm.FEDREPTILE).steps(7).build();
        assertEquals(7, reptile.stepsFor(1000));
        assertEquals(reptile.learningRate(), reptile.metaStepSize(), "β defaults to α");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalTraining.builder(FederatedAlgorithm.FOMAML).epochs(1).build());
        assertTrue(e.getMessage().contains("epochs=1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LocalTraining.builder(FederatedAlgorithm.FEDAVG).learningRate(-1).build());
        assertEquals(0, fedAvg.withAlgorithm(FederatedAlgorithm.FEDREPTILE).epochs());
    }

    @Test
    void task_carriesTheTrainingThroughJson_andOldTasksMeanTheFamilysDefault() {
        Gson gson = new Gson();
        LocalTraining meta = LocalTraining.builder(FederatedAlgorithm.META_SGD).steps(3).learningRate(0.02)
                .batchSize(8).metaStepSize(0.5).build();
        TaskResponse sent = TaskResponse.of(4, 9, "00000000000000ff", 1L, meta, null);
        TaskResponse received = gson.fromJson(gson.toJson(sent), TaskResponse.class);
        assertEquals(meta, received.training(MELU.withInnerRates()));

        String old = "{\"roundId\":1,\"modelVersion\":2,\"layoutId\":\"00000000000000ff\",\"deadlineEpochMillis\":3,"
                + "\"innerSteps\":5,\"innerLr\":0.05,\"batchSize\":32}";
        TaskResponse legacy = gson.fromJson(old, TaskResponse.class);
        assertEquals(FederatedAlgorithm.FEDREPTILE, legacy.training(MELU).algorithm());
        assertEquals(FederatedAlgorithm.FEDRECON, legacy.training(COLLAB).algorithm());
        assertEquals(0.05, legacy.training(MELU).metaStepSize());

        TaskResponse unknown = gson.fromJson(old.replace("}", ",\"algorithm\":\"quantum-sgd\"}"), TaskResponse.class);
        assertThrows(IllegalArgumentException.class, () -> unknown.training(MELU));
    }
}
