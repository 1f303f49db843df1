package io.metafed.simulation.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.evaluation.data.SyntheticConfig;
import io.metafed.evaluation.data.SyntheticDataGenerator;
import io.metafed.model.data.Attribute;
import io.metafed.model.data.AttributeValues;
import io.metafed.model.data.Dataset;
import io.metafed.model.data.Gender;
import io.metafed.model.data.Interaction;
import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.RatingScale;
import io.metafed.model.data.UserProfile;
import io.metafed.model.nn.ParamLayout;
import io.metafed.simulation.CollabSettings;
import io.metafed.simulation.ModelFamily;
import io.metafed.simulation.SimulationRunner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogCodecTest {

    @Test
    void roundTrip_keepsProfilesVocabulariesAndAttributes_dropsRatings() {
        Attribute brand = new Attribute("i_brand", "brand", false, List.of("a", "b"));
        Attribute tags = new Attribute("i_tags", "tags", true, List.of("x", "y", "z"));
        Attribute plan = new Attribute("u_plan", "plan", false, List.of("free", "pro"));
        Map<Integer, UserProfile> users = Map.of(
                1, new UserProfile(1, Gender.FEMALE, 30, 0, "0213", new AttributeValues(new int[][] {{1}})),
                2, new UserProfile(2, Gender.UNKNOWN, UserProfile.UNKNOWN_AGE, UserProfile.UNKNOWN_OCCUPATION, "",
                        new AttributeValues(new int[][] {{}})));
        Map<Integer, ItemProfile> items = Map.of(
                10, new ItemProfile(10, "Überfilm (1999)", 1999, new boolean[] {true, false},
                        new AttributeValues(new int[][] {{0}, {0, 2}})),
                11, new ItemProfile(11, "Untitled", ItemProfile.UNKNOWN_YEAR, new boolean[] {false, true},
                        new AttributeValues(new int[][] {{}, {1}})));
        Dataset d = new Dataset("generic(test)", List.of(new Interaction(1, 10, 4.5f, 7L)), users, items,
                List.of("Drama", "Comedy"), List.of("engineer"), new RatingScale(0.5f, 5f, 0.5f), List.of(plan),
                List.of(brand, tags));

        Dataset back = CatalogCodec.decode(CatalogCodec.encode(d));

        assertEquals(d.source(), back.source());
        assertEquals(d.users(), back.users());
        assertEquals(d.items(), back.items());
        assertEquals(d.genres(), back.genres());
        assertEquals(d.occupations(), back.occupations());
        assertEquals(d.scale(), back.scale());
        assertEquals(d.userAttributes(), back.userAttributes());
        assertEquals(d.itemAttributes(), back.itemAttributes());
        assertTrue(back.interactions().isEmpty(), "the ratings travel with their clients, not in the catalogue");
    }

    @Test
    void layoutRebuiltFromCatalogue_hasTheDriversId() {
        Dataset d = SyntheticDataGenerator.generate(SyntheticConfig.small(4));
        for (ModelFamily model : ModelFamily.values()) {
            ParamLayout driver = SimulationRunner.layout(model, CollabSettings.DEFAULT, d);
            ClientContext context = context(d, model, driver.id());
            assertEquals(driver.id(), context.layout(CatalogCodec.decode(context.catalog())).id(), model.name());
        }
    }

    @Test
    void layoutOfAnotherCatalogue_refusedWithBothIds() {
        Dataset d = SyntheticDataGenerator.generate(SyntheticConfig.small(4));
        Dataset other = SyntheticDataGenerator.generate(SyntheticConfig.small(5));
        ParamLayout driver = SimulationRunner.layout(ModelFamily.MELU, CollabSettings.DEFAULT, d);
        ClientContext context = context(other, ModelFamily.MELU, driver.id());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> context.layout(CatalogCodec.decode(context.catalog())));
        assertTrue(e.getMessage().contains(Long.toHexString(driver.id())), e.getMessage());
    }

    private static ClientContext context(Dataset catalog, ModelFamily model, long layoutId) {
        CollabSettings c = CollabSettings.DEFAULT;
        return new ClientContext("run", CatalogCodec.encode(catalog), model, c.dim(), c.lambda(), c.itemReg(),
                c.itemRows(), false, layoutId);
    }
}
