package io.metafed.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Known-answer tests of the protobuf encoding (examples from the protobuf encoding guide where possible). */
class ProtoWriterTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static byte[] varint(long value) {
        return new ProtoWriter().rawVarint(value).toByteArray();
    }

    @Test
    void rawVarint_smallValues_takeOneByte() {
        assertArrayEquals(hex("00"), varint(0));
        assertArrayEquals(hex("01"), varint(1));
        assertArrayEquals(hex("7f"), varint(127));
    }

    @Test
    void rawVarint_multiByteValues_matchKnownEncodings() {
        assertArrayEquals(hex("80 01"), varint(128));
        assertArrayEquals(hex("ac 02"), varint(300));
        assertArrayEquals(hex("96 01"), varint(150));
        assertArrayEquals(hex("ff ff ff ff 07"), varint(Integer.MAX_VALUE));
        assertArrayEquals(hex("ff ff ff ff ff ff ff ff 7f"), varint(Long.MAX_VALUE));
    }

    @Test
    void rawVarint_negativeInt64_takesTenBytes() {
        assertArrayEquals(hex("ff ff ff ff ff ff ff ff ff 01"), varint(-1));
        assertArrayEquals(hex("80 80 80 80 80 80 80 80 80 01"), varint(Long.MIN_VALUE));
    }

    @Test
    void int64_field1Value150_encodesTagAndVarint() {
        assertArrayEquals(hex("08 96 01"), new ProtoWriter().int64(1, 150).toByteArray());
    }

    @Test
    void string_field2Testing_isLengthDelimited() {
        assertArrayEquals(hex("12 07 74 65 73 74 69 6e 67"), new ProtoWriter().string(2, "testing").toByteArray());
    }

    @Test
    void float32_one_isLittleEndianFixed32() {
        assertArrayEquals(hex("15 00 00 80 3f"), new ProtoWriter().float32(2, 1f).toByteArray());
    }

    @Test
    void message_emptyNested_isWrittenWithZeroLength() {
        assertArrayEquals(hex("12 00"), new ProtoWriter().message(2, new ProtoWriter()).toByteArray());
    }

    @Test
    void message_nested_isPrefixedWithItsLength() {
        ProtoWriter inner = new ProtoWriter().int64(1, 150);
        assertArrayEquals(hex("1a 03 08 96 01"), new ProtoWriter().message(3, inner).toByteArray());
    }

    @Test
    void int64s_repeatedField_writesOneTagPerElement() {
        assertArrayEquals(hex("08 03 08 ac 02"), new ProtoWriter().int64s(1, new long[] {3, 300}).toByteArray());
    }

    @Test
    void tag_largeFieldNumber_usesMultiByteKey() {
        // ModelProto.metadata_props = 14 fits one byte; AttributeProto.type = 20 needs two.
        assertArrayEquals(hex("a0 01 07"), new ProtoWriter().int64(20, 7).toByteArray());
    }

    @Test
    void tag_fieldZero_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ProtoWriter().int64(0, 1));
    }
}
