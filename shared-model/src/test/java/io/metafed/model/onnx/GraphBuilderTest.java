package io.metafed.model.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

    @Test
    void fresh_takenHint_appendsCounter() {
        GraphBuilder g = new GraphBuilder("g");
        assertEquals("x", g.fresh("x"));
        assertEquals("x_1", g.fresh("x"));
        assertEquals("x_2", g.fresh("x"));
    }

    @Test
    void int64s_equalValues_shareOneInitializer() {
        GraphBuilder g = new GraphBuilder("g");
        assertEquals(g.int64s(1, 2), g.int64s(1, 2));
        assertTrue(!g.int64s(1).equals(g.int64s(2)), "different constants need different names");
    }

    @Test
    void input_duplicateName_isRejected() {
        GraphBuilder g = new GraphBuilder("g");
        g.input("a", GraphBuilder.FLOAT, Dim.of(3));
        assertThrows(IllegalArgumentException.class, () -> g.input("a", GraphBuilder.FLOAT, Dim.of(3)));
    }

    @Test
    void op_undefinedInput_isRejected() {
        GraphBuilder g = new GraphBuilder("g");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.op("Relu", "h", List.of("missing")));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void output_unknownValue_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GraphBuilder("g").output("y", GraphBuilder.FLOAT));
    }

    @Test
    void dim_negativeFixedValue_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> Dim.of(-2));
    }

    @Test
    void attribute_intWithTwoValues_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Attribute("axis", Attribute.INT, new long[] {1, 2}, 0f));
    }

    @Test
    void attribute_stringWithoutText_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Attribute("reduction", Attribute.STRING, new long[0], 0f));
    }

    @Test
    void doubles_valueCountNotMatchingShape_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GraphBuilder("g").doubles(new long[] {2, 2}, 1, 2, 3));
        assertTrue(e.getMessage().contains("needs 4 values, found 3"), e.getMessage());
    }
}
