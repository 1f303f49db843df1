package io.metafed.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.metafed.model.nn.ParamLayout;
import io.metafed.model.nn.TinyModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guards format stability: {@value #RESOURCE} was written by {@link #goldenParams()} and {@link #GOLDEN_META}
 * when format version 2 was defined and is committed; {@value #LEGACY_RESOURCE}, written the same way by format
 * version 1, must still be read (migrated to a MeLU model). If this test fails, the writer or reader changed the
 * on-disk format (or the tiny layout's id changed): old files would no longer load. Bump
 * {@link WeightFile#FORMAT_VERSION} and keep reading the older versions rather than regenerating the files.
 * To regenerate deliberately, from the repository root:
 * <pre>
 *   mvn -pl shared-model test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.metafed.model.format.WeightFileGoldenTest \
 *     -Dexec.args=shared-model/src/test/resources/io/metafed/model/format/tiny-v2.mfwt
 * </pre>
 */
public class WeightFileGoldenTest {
    static final String RESOURCE = "tiny-v2.mfwt";
    static final String LEGACY_RESOURCE = "tiny-v1.mfwt";
    static final Map<String, String> GOLDEN_META =
            Map.of(WeightMetadata.MODEL_VERSION, "golden", WeightMetadata.ROUND, "3");

    /** Multiples of 1/16 in [-3.8125, 3.8125]: exact in float32, so the file's bytes do not depend on rounding. */
    static float[] goldenParams() {
        float[] p = new float[ParamLayout.of(TinyModels.tinyConfig()).size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i - 61) / 16f;
        }
        return p;
    }

    static byte[] goldenBytes() {
        return WeightFile.write(ParamLayout.of(TinyModels.tinyConfig()), goldenParams(), GOLDEN_META);
    }

    public static void main(String[] args) throws IOException {
        Files.write(Path.of(args[0]), goldenBytes());
    }

    private static byte[] committed() throws IOException {
        return resource(RESOURCE);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = WeightFileGoldenTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "missing test resource " + name);
            return in.readAllBytes();
        }
    }

    @Test
    void read_committedGoldenFile_givesKnownParamsAndMetadata() throws IOException {
        ParamLayout layout = ParamLayout.of(TinyModels.tinyConfig());
        Weights w = WeightFile.read(committed(), layout);
        assertEquals(layout.id(), w.layoutId());
        assertArrayEquals(goldenParams(), w.params());
        assertEquals(GOLDEN_META, w.metadata());
    }

    @Test
    void read_legacyVersion1File_isMigratedToAMeluModel() throws IOException {
        ParamLayout layout = ParamLayout.of(TinyModels.tinyConfig());
        byte[] legacy = resource(LEGACY_RESOURCE);
        assertEquals(1, ByteBuffer.wrap(legacy).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
        Weights w = WeightFile.read(legacy, layout);
        assertArrayEquals(goldenParams(), w.params());
        assertEquals(GOLDEN_META, w.metadata());
    }

    @Test
    void read_legacyVersion1File_forACollaborativeLayout_isRefusedNamingTheFamilies() throws IOException {
        ParamLayout collab = ParamLayout.of(new io.metafed.model.nn.CollabConfig(new int[] {1, 2}, 3, 16, 5, 5, 0.02));
        WeightFormatException e = org.junit.jupiter.api.Assertions.assertThrows(WeightFormatException.class,
                () -> WeightFile.read(resource(LEGACY_RESOURCE), collab));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("v1 holds only melu")
                && e.getMessage().contains("collab"), e.getMessage());
    }

    @Test
    void modelFamily_ofFilesOfUnknownLayout_namesTheirFamily() throws IOException {
        ParamLayout collab = ParamLayout.of(new io.metafed.model.nn.CollabConfig(new int[] {1, 2}, 3, 16, 5, 5, 0.02));
        assertEquals("collab", WeightFile.modelFamily(WeightFile.write(collab, new float[collab.size()],
                java.util.Map.of())));
        assertEquals("melu", WeightFile.modelFamily(committed()));
        assertEquals("melu", WeightFile.modelFamily(resource(LEGACY_RESOURCE)), "format v1 holds only MeLU");
        byte[] damaged = committed();
        damaged[damaged.length - 10] ^= 1;
        org.junit.jupiter.api.Assertions.assertThrows(WeightFormatException.class,
                () -> WeightFile.modelFamily(damaged));
    }

    @Test
    void write_goldenInputs_reproducesCommittedBytes() throws IOException {
        assertArrayEquals(committed(), goldenBytes());
    }

    @Test
    void committedGoldenFile_header_matchesDocumentedLayout() throws IOException {
        byte[] b = committed();
        // Told apart from a format change: the tiny layout's id itself (ParamLayout's hash) must not move.
        assertEquals(0x4decf6d2430f2d5dL, ParamLayout.of(TinyModels.tinyConfig()).id(), "tiny layout id changed");
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("MFWT", new String(b, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(2, h.getInt(4));
        assertEquals(0x4decf6d2430f2d5dL, h.getLong(8));
        assertEquals(123, h.getInt(16));
        assertEquals(60, h.getInt(20)); // {"model.family":"melu","model.version":"golden","round":"3"}
        assertEquals(24 + 60 + 4 * 123 + 4, b.length);
    }
}
