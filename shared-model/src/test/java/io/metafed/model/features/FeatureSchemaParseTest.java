package io.metafed.model.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FeatureSchema#parse} is the inverse of {@link FeatureSchema#describe}, with errors naming the field. */
class FeatureSchemaParseTest {
    @Test
    void parse_ofDescribe_givesTheSameSchema() {
        FeatureSchema content = new FeatureSchema(List.of(new FieldSpec("genre", 19, true),
                FieldSpec.bucketed("year", List.of(1980, 1990, 1995, 1997)), new FieldSpec("i_studio", 4, false)));
        assertEquals("genre:19m,year:6<1980|1990|1995|1997>,i_studio:4", content.describe());
        assertEquals(content, FeatureSchema.parse(content.describe()));
        FeatureSchema standard = FeatureSchema.standard(21, 19);
        assertEquals(standard, FeatureSchema.parse(standard.describe()));
    }

    @Test
    void parse_malformedFields_areNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureSchema.parse("genre:19m,year"))
                .getMessage().contains("field 'year' must be name:size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureSchema.parse("genre:x"))
                .getMessage().contains("'x' is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureSchema.parse("year:4<1980|1990"))
                .getMessage().contains("must end with '>'"));
        // The record's own checks still apply: 2 edges make 4 columns, not 5.
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureSchema.parse("year:5<1980|1990>"))
                .getMessage().contains("must have size 4"));
    }
}
