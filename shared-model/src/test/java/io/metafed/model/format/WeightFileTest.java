package io.metafed.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.metafed.model.nn.ModelConfig;
import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.ParamVector;
import io.metafed.model.nn.TinyModels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips of the weight file through bytes, streams and files, and the provenance helper. */
class WeightFileTest {
    static final ParamLayout LAYOUT = ParamLayout.of(TinyModels.tinyConfig());
    static final Map<String, String> META = Map.of("model.version", "v7", "round", "12", "note", "ünïcödé <&>\"");

    static float[] params(ParamLayout layout) {
        float[] p = new float[layout.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.sin(i) * (i % 7 == 0 ? 1e-30f : 3f);
        }
        p[1] = -0f;
        p[2] = Float.MIN_VALUE;
        p[3] = Float.MAX_VALUE;
        return p;
    }

    @Test
    void prefixChecks_agreeWithTheWholeFile_andRefuseAPrefixTooShort() {
        byte[] file = WeightFile.write(LAYOUT, params(LAYOUT), META);
        int metadataLength = java.nio.ByteBuffer.wrap(file, WeightFile.METADATA_LENGTH_OFFSET, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        int needed = WeightFile.prefixLength(file.length, metadataLength);
        assertEquals(WeightFile.HEADER_BYTES + metadataLength, needed);
        byte[] prefix = Arrays.copyOf(file, needed);
        WeightFile.checkHeader(prefix, file.length, LAYOUT);
        assertEquals(WeightFile.readMetadata(file, LAYOUT), WeightFile.readMetadata(prefix, file.length, LAYOUT));

        // A file one byte short: the same problem and message from the prefix as from the bytes.
        byte[] cut = Arrays.copyOf(file, file.length - 1);
        WeightFormatException whole = assertThrows(WeightFormatException.class, () -> WeightFile.read(cut, LAYOUT));
        WeightFormatException fromPrefix = assertThrows(WeightFormatException.class,
                () -> WeightFile.checkHeader(prefix, cut.length, LAYOUT));
        assertEquals(whole.problem(), fromPrefix.problem());
        assertEquals(whole.getMessage(), fromPrefix.getMessage());

        assertThrows(IllegalArgumentException.class,
                () -> WeightFile.readMetadata(Arrays.copyOf(file, needed - 1), file.length, LAYOUT));
        assertEquals(5, WeightFile.prefixLength(5, metadataLength)); // shorter than a header: all of it
        assertEquals(WeightFile.HEADER_BYTES, WeightFile.prefixLength(file.length, -1)); // a bad field: the header
    }

    @Test
    void readBytes_afterWrite_returnsSameParamsAndMetadata() {
        float[] p = params(LAYOUT);
        Weights w = WeightFile.read(WeightFile.write(LAYOUT, p, META), LAYOUT);
        assertEquals(LAYOUT.id(), w.layoutId());
        // assertArrayEquals on float[] compares bit patterns via Float.equals, so -0f and denormals are exact.
        assertArrayEquals(p, w.params());
        assertEquals(META, w.metadata());
    }

    @Test
    void write_sameInputs_givesIdenticalBytes() {
        // Metadata keys are sorted on write, so the map's iteration order must not leak into the bytes.
        float[] p = params(LAYOUT);
        assertArrayEquals(WeightFile.write(LAYOUT, p, META), WeightFile.write(LAYOUT, p, new TreeMap<>(META)));
    }

    @Test
    void write_aParamVector_givesTheArraysBytesAndTheSameRefusals(@TempDir Path dir) throws IOException {
        float[] p = params(LAYOUT);
        ParamVector v = ParamVector.copyOf(p);
        assertArrayEquals(WeightFile.write(LAYOUT, p, META), WeightFile.write(LAYOUT, v, META));
        assertArrayEquals(WeightFile.write(LAYOUT, p, META), WeightFile.write(LAYOUT, v, META), "views are fresh");
        Path file = dir.resolve("vector.mfw");
        WeightFile.write(LAYOUT, v, META, file);
        assertArrayEquals(p, WeightFile.read(file, LAYOUT).params());
        float[] bad = p.clone();
        bad[4] = Float.NaN;
        assertEquals(assertThrows(IllegalArgumentException.class, () -> WeightFile.write(LAYOUT, bad, META))
                .getMessage(), assertThrows(IllegalArgumentException.class,
                        () -> WeightFile.write(LAYOUT, ParamVector.adopt(bad), META)).getMessage());
        assertEquals(assertThrows(IllegalArgumentException.class,
                () -> WeightFile.write(LAYOUT, new float[3], META)).getMessage(),
                assertThrows(IllegalArgumentException.class,
                        () -> WeightFile.write(LAYOUT, ParamVector.adopt(new float[3]), META)).getMessage());
    }

    @Test
    void readStream_afterWriteStream_returnsSameWeights() throws IOException {
        float[] p = params(LAYOUT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WeightFile.write(LAYOUT, p, META, out);
        Weights w = WeightFile.read(new ByteArrayInputStream(out.toByteArray()), LAYOUT);
        assertEquals(new Weights(LAYOUT.id(), p, META), w);
    }

    @Test
    void readPath_afterWritePath_returnsSameWeightsAndLeavesNoTempFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("global.mfwt");
        float[] p = params(LAYOUT);
        WeightFile.write(LAYOUT, new float[LAYOUT.size()], Map.of(), file);
        WeightFile.write(LAYOUT, p, META, file); // replaces the existing file
        assertEquals(new Weights(LAYOUT.id(), p, META), WeightFile.read(file, LAYOUT));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void readAnyLayout_validFile_returnsLayoutIdFromFile() {
        Weights w = WeightFile.readAnyLayout(WeightFile.write(LAYOUT, params(LAYOUT), Map.of()));
        assertEquals(LAYOUT.id(), w.layoutId());
        assertEquals(LAYOUT.size(), w.size());
        assertTrue(w.metadata().isEmpty());
    }

    @Test
    void write_wrongLength_rejectsNamingBothLengths() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> WeightFile.write(LAYOUT, new float[LAYOUT.size() - 1], META));
        assertTrue(e.getMessage().contains("length " + LAYOUT.size() + " ") && e.getMessage().contains(
                "found " + (LAYOUT.size() - 1)), e.getMessage());
    }

    @Test
    void write_nanOrInfinity_rejectsNamingIndexAndTensor() {
        int i = LAYOUT.slot("fc2.bias").offset() + 1;
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] p = params(LAYOUT);
            p[i] = bad;
            var e = assertThrows(IllegalArgumentException.class, () -> WeightFile.write(LAYOUT, p, META));
            assertEquals("params[" + i + "] (fc2.bias[1]) must be finite, found " + bad, e.getMessage());
        }
    }

    @Test
    void write_metadataOverCap_rejects() {
        Map<String, String> big = Map.of("blob", "x".repeat(WeightFile.MAX_METADATA_BYTES));
        var e = assertThrows(IllegalArgumentException.class, () -> WeightFile.write(LAYOUT, params(LAYOUT), big));
        assertTrue(e.getMessage().contains("at most " + WeightFile.MAX_METADATA_BYTES), e.getMessage());
    }

    @Test
    void write_metadataAtCap_roundTrips() {
        // {"k":"…","model.family":"melu"} is 8 + 22 bytes of JSON around the value (the writer adds the family).
        Map<String, String> full = Map.of("k", "x".repeat(WeightFile.MAX_METADATA_BYTES - 8 - 22));
        assertEquals(full, WeightFile.read(WeightFile.write(LAYOUT, params(LAYOUT), full), LAYOUT).metadata());
    }

    @Test
    void write_otherLayout_storesThatLayoutsId() {
        ParamLayout other = ParamLayout.of(new ModelConfig(TinyModels.tinyConfig().schema(), 3, List.of(2)));
        assertEquals(other.id(), WeightFile.readAnyLayout(WeightFile.write(other, params(other), META)).layoutId());
    }

    @Test
    void provenance_fixedClock_holdsRoundTimeAndPlatform() {
        Clock clock = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);
        Map<String, String> m = WeightMetadata.provenance("v3", 42, clock);
        assertEquals("v3", m.get(WeightMetadata.MODEL_VERSION));
        assertEquals("2024-05-06T07:08:09Z", m.get(WeightMetadata.CREATED));
        assertEquals(System.getProperty("java.version"), m.get(WeightMetadata.JAVA_VERSION));
        assertTrue(m.containsKey(WeightMetadata.LIBRARY_VERSION) && m.containsKey(WeightMetadata.OS_ARCH));
        Weights w = WeightFile.read(WeightFile.write(LAYOUT, params(LAYOUT), m), LAYOUT);
        assertEquals(42, WeightMetadata.round(w));
    }

    @Test
    void round_missingOrMalformed_rejects() {
        assertThrows(IllegalArgumentException.class,
                () -> WeightMetadata.round(new Weights(1, new float[0], Map.of())));
        var e = assertThrows(IllegalArgumentException.class,
                () -> WeightMetadata.round(new Weights(1, new float[0], Map.of("round", "x"))));
        assertTrue(e.getCause() instanceof NumberFormatException);
    }

    @Test
    void weights_vector_isACopyFreeViewThatNoHolderCanChange() {
        float[] input = {1f, -2f, 3.5f};
        Weights w = new Weights(7L, input, Map.of());
        ParamVector v = w.vector();
        input[0] = 99f;            // the caller's array was copied in
        w.params()[1] = 99f;       // params() hands out a copy
        v.toArray()[2] = 99f;      // so does the vector
        assertArrayEquals(new float[] {1f, -2f, 3.5f}, v.toArray());
        assertArrayEquals(new float[] {1f, -2f, 3.5f}, w.vector().toArray());
        assertTrue(v.buffer().isReadOnly());
    }
}
