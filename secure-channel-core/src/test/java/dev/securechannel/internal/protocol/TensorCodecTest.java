package dev.securechannel.internal.protocol;

import static dev.securechannel.internal.protocol.CodecTestSupport.assertRejected;
import static dev.securechannel.internal.protocol.CodecTestSupport.concat;
import static dev.securechannel.internal.protocol.CodecTestSupport.rawTensor;
import static dev.securechannel.internal.protocol.CodecTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.FailureReason;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tensor sub-frame of PROTOCOL.md section 5 (little-endian): its byte layout, its limits
 * and every malformed input the decoder must reject (CONFORMANCE B2-B14).
 *
 * <p>Inputs are written by hand with {@link CodecTestSupport#rawTensor}, so that the decoder is
 * never checked only against its own encoder.
 */
class TensorCodecTest {

    private static final long U32_MAX = 0xFFFF_FFFFL;
    private static final byte[] NO_NAME = new byte[0];

    // Layout

    @Test
    void encodesTheSubHeaderLittleEndianWithZeroPaddingToEightBytes() {
        Tensor tensor = Tensor.of("ab", DType.U32, new long[] {2}, new byte[] {1, 0, 0, 0, 2, 0, 0, 0});

        assertThat(HexFormat.of().formatHex(TensorCodec.encode(tensor)))
                .isEqualTo("0100" + "07" + "02000000" + "0200" + "6162" + "0000000000" + "0100000002000000");
    }

    @Test
    void encodesWithRoomBeforeAndAfterForAFramesHeaderAndTag() {
        Tensor tensor = Tensor.of("ab", DType.F32, new long[] {1, 2}, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        byte[] plain = TensorCodec.encode(tensor);

        byte[] framed = TensorCodec.encode(tensor, 13, 16);

        assertThat(framed).hasSize(13 + plain.length + 16);
        assertThat(Arrays.copyOfRange(framed, 13, 13 + plain.length)).isEqualTo(plain);
        assertThat(TensorCodec.encodedLength(tensor)).isEqualTo(plain.length);
        assertThat(TensorCodec.decode(framed, 13, plain.length)).isEqualTo(tensor);
    }

    @Test
    void encodesDimensionsAsUnsignedLittleEndianU32() {
        Tensor tensor = Tensor.of("", DType.U8, new long[] {0x0102_0304L, 0}, new byte[0]);

        assertThat(HexFormat.of().formatHex(TensorCodec.encodeHeader(tensor)))
                .isEqualTo("0200" + "06" + "04030201" + "00000000" + "0000" + "000000");
    }

    @Test
    void headerLengthIsAlwaysAMultipleOfEight() {
        for (int nameLength = 0; nameLength < 24; nameLength++) {
            for (int rank = 0; rank <= 4; rank++) {
                long[] shape = new long[rank];
                Arrays.fill(shape, 1);
                Tensor tensor = Tensor.of("x".repeat(nameLength), DType.U8, shape, new byte[1]);

                int unpadded = 2 + 1 + 4 * rank + 2 + nameLength;
                assertThat(TensorCodec.headerLength(tensor)).isEqualTo((unpadded + 7) / 8 * 8);
                assertThat(TensorCodec.encodeHeader(tensor)).hasSize(TensorCodec.headerLength(tensor));
            }
        }
    }

    // B2, B3

    @Test
    void ndimsOfOneThousandIsAShapeOverflowBeforeTheShapeIsRead() {
        byte[] ndimsAndDtypeOnly = {(byte) 0xE8, 0x03, 0x00};

        assertRejected(() -> TensorCodec.decode(ndimsAndDtypeOnly), FailureReason.SHAPE_OVERFLOW);
    }

    @Test
    void ndimsOf65535IsAShapeOverflow() {
        byte[] ndimsAndDtypeOnly = {(byte) 0xFF, (byte) 0xFF, 0x00};

        assertRejected(() -> TensorCodec.decode(ndimsAndDtypeOnly), FailureReason.SHAPE_OVERFLOW);
    }

    @Test
    void ndimsOfThirtyThreeIsAShapeOverflowEvenWhenTheRestIsWellFormed() {
        long[] dims = new long[33];
        Arrays.fill(dims, 1);
        byte[] encoded = rawTensor(DType.U8.code(), dims, NO_NAME, new byte[1]);

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.SHAPE_OVERFLOW);
    }

    // B4

    @Test
    void thirtyTwoDimensionsOfOneAreAccepted() {
        long[] dims = new long[32];
        Arrays.fill(dims, 1);
        byte[] encoded = rawTensor(DType.U8.code(), dims, NO_NAME, new byte[] {42});

        Tensor decoded = TensorCodec.decode(encoded);

        assertThat(decoded.rank()).isEqualTo(32);
        assertThat(decoded.shape()).containsOnly(1L);
        assertThat(decoded.dataBytes()).containsExactly(42);
        assertThat(TensorCodec.encode(decoded)).isEqualTo(encoded);
    }

    // B5

    @Test
    void theEncoderSideRefusesDataThatDoesNotMatchTheShape() {
        assertRejected(() -> Tensor.of("bad", DType.F32, new long[] {2, 3}, new byte[10]),
                FailureReason.TENSOR_DATA_SIZE_MISMATCH);
    }

    // B6

    @Test
    void elementSizesMatchTheProtocolTable() {
        assertThat(DType.U8.elementSize()).isEqualTo(1);
        assertThat(DType.F16.elementSize()).isEqualTo(2);
        assertThat(DType.BF16.elementSize()).isEqualTo(2);
        assertThat(DType.F32.elementSize()).isEqualTo(4);
        assertThat(DType.I32.elementSize()).isEqualTo(4);
        assertThat(DType.U32.elementSize()).isEqualTo(4);
        assertThat(DType.F64.elementSize()).isEqualTo(8);
        assertThat(DType.I64.elementSize()).isEqualTo(8);
    }

    @Test
    void dtypeWireCodesMatchTheProtocolTable() {
        assertThat(IntStream.range(0, 8).mapToObj(DType::fromCode)).containsExactly(
                DType.F32, DType.F64, DType.F16, DType.BF16, DType.I32, DType.I64, DType.U8, DType.U32);
        assertThat(Arrays.stream(DType.values()).mapToInt(DType::code)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    // B7

    @Test
    void aNonZeroByteAtAnyPaddingPositionIsInvalidPadding() {
        // ndims 1, name "" -> 2 + 1 + 4 + 2 = 9 bytes, so 7 padding bytes.
        for (int position = 0; position < 7; position++) {
            for (int value : new int[] {0x01, 0x80, 0xFF}) {
                byte[] padding = new byte[7];
                padding[position] = (byte) value;
                byte[] encoded = rawTensor(1, DType.U8.code(), new long[] {1}, NO_NAME, padding, new byte[1]);

                assertRejected(() -> TensorCodec.decode(encoded), FailureReason.INVALID_PADDING);
            }
        }
    }

    // B8

    @ParameterizedTest(name = "dtype {0}")
    @MethodSource("undefinedDtypes")
    void everyDtypeFromEightUpIsUnknown(int dtype) {
        byte[] encoded = rawTensor(dtype, new long[0], NO_NAME, new byte[4]);

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.UNKNOWN_DTYPE);
    }

    static IntStream undefinedDtypes() {
        return IntStream.range(8, 256);
    }

    // B9

    @Test
    void anEmptyInputIsAnIncompleteHeader() {
        assertRejected(() -> TensorCodec.decode(new byte[0]), FailureReason.INCOMPLETE_TENSOR_HEADER);
    }

    @Test
    void theTwoByteSeed0100IsAnIncompleteHeader() {
        assertRejected(() -> TensorCodec.decode(new byte[] {0x01, 0x00}), FailureReason.INCOMPLETE_TENSOR_HEADER);
    }

    @Test
    void everyTruncationOfTheKnownAnswerTensorIsRejectedForWhatItLacks() {
        byte[] encoded = TensorRoundTripTest.knownAnswerTensorBytes();

        assertTruncationsRejected(encoded, 24);
    }

    @Test
    void everyTruncationOfRandomTensorsIsRejectedForWhatItLacks() {
        Random random = ReplayableRandom.create("B9 truncations", 0xB9_7A11L);

        for (int i = 0; i < 300; i++) {
            Tensor tensor = CodecTestSupport.randomTensor(random);
            if (tensor.dataBytes().length > 256) {
                continue; // every cut inside the data behaves alike; long data only slows the test
            }

            assertTruncationsRejected(TensorCodec.encode(tensor), TensorCodec.headerLength(tensor));
        }
    }

    /**
     * Cutting inside the sub-header (shape, name_len, name or padding) leaves the header
     * incomplete; once the whole padded header is present, only data is missing, which is a
     * size mismatch between shape and data.
     */
    private static void assertTruncationsRejected(byte[] encoded, int headerLength) {
        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            FailureReason expected = length < headerLength
                    ? FailureReason.INCOMPLETE_TENSOR_HEADER
                    : FailureReason.TENSOR_DATA_SIZE_MISMATCH;

            assertRejected(() -> TensorCodec.decode(truncated), expected);
        }
    }

    @Test
    void aShapeCutShortIsAnIncompleteHeader() {
        byte[] encoded = rawTensor(3, DType.F32.code(), new long[] {2, 2}, NO_NAME, new byte[0], new byte[0]);

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.INCOMPLETE_TENSOR_HEADER);
    }

    @Test
    void aNameLengthPointingPastTheEndIsAnIncompleteHeader() {
        byte[] encoded = concat(new byte[] {0, 0, 6, (byte) 0xFF, (byte) 0xFF}, utf8("abc"));

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.INCOMPLETE_TENSOR_HEADER);
    }

    @Test
    void bytesAfterTheDataAreASizeMismatch() {
        byte[] encoded = concat(TensorRoundTripTest.knownAnswerTensorBytes(), new byte[] {0});

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.TENSOR_DATA_SIZE_MISMATCH);
    }

    // B10

    @ParameterizedTest(name = "name bytes {0}")
    @ValueSource(strings = {
            "ff",             // never valid in UTF-8
            "80",             // continuation byte without a lead byte
            "c080",           // overlong encoding of NUL
            "e282",           // three-byte sequence cut short
            "eda080",         // UTF-16 surrogate D800 encoded in UTF-8
            "f4908080",       // above U+10FFFF
            "61ff62",         // invalid byte between valid ones
    })
    void aNameThatIsNotValidUtf8IsRejected(String nameHex) {
        byte[] encoded = rawTensor(DType.U8.code(), new long[0], HexFormat.of().parseHex(nameHex), new byte[1]);

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.INVALID_TENSOR_NAME);
    }

    @Test
    void aNameWithMultiByteCharactersIsDecoded() {
        String name = "t\u00e9nsor_\u4e2d_\ud83d\ude00";
        byte[] encoded = rawTensor(DType.U8.code(), new long[0], utf8(name), new byte[1]);

        assertThat(TensorCodec.decode(encoded).name()).isEqualTo(name);
    }

    // B11

    @Test
    void fourDimensionsOfU32MaxOverflowTheElementCount() {
        long[] dims = {U32_MAX, U32_MAX, U32_MAX, U32_MAX};
        byte[] encoded = rawTensor(DType.F64.code(), dims, NO_NAME, new byte[0]);

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.SHAPE_OVERFLOW);
    }

    @Test
    void anElementCountThatFitsButOverflowsOnceMultipliedByTheElementSizeIsAShapeOverflow() {
        long[] dims = {U32_MAX, 0x7FFF_FFFFL};
        byte[] encoded = rawTensor(DType.F64.code(), dims, NO_NAME, new byte[8]);

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.SHAPE_OVERFLOW);
    }

    @Test
    void aHugeShapeThatDoesNotOverflowIsASizeMismatchWithoutAllocating() {
        long[] dims = {U32_MAX, 16};
        byte[] encoded = rawTensor(DType.F64.code(), dims, NO_NAME, new byte[8]);

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.TENSOR_DATA_SIZE_MISMATCH);
    }

    @Test
    void theEncoderSideRefusesAnOverflowingShape() {
        long[] dims = {U32_MAX, U32_MAX, U32_MAX, U32_MAX};

        assertRejected(() -> Tensor.of("x", DType.F64, dims, new byte[0]), FailureReason.SHAPE_OVERFLOW);
    }

    @ParameterizedTest(name = "dimension {0}")
    @ValueSource(longs = {-1L, 0x1_0000_0000L})
    void theEncoderSideRefusesADimensionThatIsNotAU32(long dimension) {
        assertRejected(() -> Tensor.of("x", DType.U8, new long[] {dimension}, new byte[0]), FailureReason.SHAPE_OVERFLOW);
    }

    // B12

    @Test
    void theEncoderSideRefusesANameOverSixtyFiveThousandFiveHundredThirtyFiveBytes() {
        String name = "n".repeat(65_536);

        assertRejected(() -> Tensor.of(name, DType.U8, new long[] {1}, new byte[1]), FailureReason.TENSOR_NAME_TOO_LONG);
    }

    @Test
    void theNameLimitCountsUtf8BytesNotCharacters() {
        String threeByteCharacters = "\u20ac".repeat(21_846); // 65,538 bytes in 21,846 chars
        String fourByteCharacters = "\ud83d\ude00".repeat(16_384); // 65,536 bytes in 32,768 chars

        assertRejected(() -> Tensor.of(threeByteCharacters, DType.U8, new long[0], new byte[1]), FailureReason.TENSOR_NAME_TOO_LONG);
        assertRejected(() -> Tensor.of(fourByteCharacters, DType.U8, new long[0], new byte[1]), FailureReason.TENSOR_NAME_TOO_LONG);
    }

    @Test
    void aNameOfExactlySixtyFiveThousandFiveHundredThirtyFiveBytesRoundTrips() {
        String name = "\u20ac".repeat(21_845); // 65,535 bytes: name_len 0xFFFF must be read as unsigned
        Tensor tensor = Tensor.of(name, DType.U8, new long[] {1}, new byte[] {5});

        byte[] encoded = TensorCodec.encode(tensor);

        assertThat(encoded[3 + 4]).isEqualTo((byte) 0xFF);
        assertThat(encoded[3 + 4 + 1]).isEqualTo((byte) 0xFF);
        assertThat(TensorCodec.decode(encoded)).isEqualTo(tensor);
    }

    @Test
    void theEncoderSideRefusesMoreThanThirtyTwoDimensions() {
        long[] dims = new long[33];
        Arrays.fill(dims, 1);

        assertRejected(() -> Tensor.of("x", DType.U8, dims, new byte[1]), FailureReason.SHAPE_OVERFLOW);
    }

    // B13

    @Test
    void aTensorFrameCarriesTheTensorPayloadFlagAndItsTensorSurvivesTheStream() {
        Tensor tensor = Tensor.of("hidden_state", DType.F32, new long[] {3, 4}, bytesCounting(48));
        Frame frame = new Frame(FrameType.TENSOR, FrameFlags.TENSOR_PAYLOAD, 0, TensorCodec.encode(tensor));
        FrameDecoder decoder = new FrameDecoder(FrameCodec.MAX_PAYLOAD_LENGTH);

        decoder.feed(FrameCodec.encode(frame));
        Frame received = decoder.next();

        assertThat(received).isNotNull();
        assertThat(received.type()).isEqualTo(FrameType.TENSOR);
        assertThat(FrameFlags.isTensor(received.flags())).isTrue();
        Tensor decoded = TensorCodec.decode(received.payload());
        assertThat(decoded.name()).isEqualTo("hidden_state");
        assertThat(decoded.dtype()).isEqualTo(DType.F32);
        assertThat(decoded.shape()).containsExactly(3, 4);
        assertThat(decoded.dataBytes()).hasSize(48).isEqualTo(bytesCounting(48));
    }

    // B14

    @Test
    void noDimensionsMeansOneElement() {
        byte[] encoded = rawTensor(DType.F64.code(), new long[0], utf8("s"), new byte[8]);

        Tensor decoded = TensorCodec.decode(encoded);

        assertThat(decoded.rank()).isZero();
        assertThat(decoded.dataBytes()).hasSize(8);
    }

    @Test
    void noDimensionsWithoutDataIsASizeMismatch() {
        byte[] encoded = rawTensor(DType.F64.code(), new long[0], utf8("s"), new byte[0]);

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.TENSOR_DATA_SIZE_MISMATCH);
    }

    @Test
    void aZeroDimensionMeansEmptyDataAndIsAccepted() {
        byte[] encoded = rawTensor(DType.F32.code(), new long[] {3, 0, 5}, utf8("empty"), new byte[0]);

        Tensor decoded = TensorCodec.decode(encoded);

        assertThat(decoded.shape()).containsExactly(3, 0, 5);
        assertThat(decoded.dataBytes()).isEmpty();
        assertThat(TensorCodec.encode(decoded)).isEqualTo(encoded);
    }

    @Test
    void aZeroDimensionBeforeHugeOnesStillMeansEmptyData() {
        byte[] encoded = rawTensor(DType.F64.code(), new long[] {0, U32_MAX, U32_MAX, U32_MAX}, NO_NAME, new byte[0]);

        assertThat(TensorCodec.decode(encoded).dataBytes()).isEmpty();
    }

    @Test
    void aZeroDimensionWithDataIsASizeMismatch() {
        byte[] encoded = rawTensor(DType.F32.code(), new long[] {3, 0}, NO_NAME, new byte[4]);

        assertRejected(() -> TensorCodec.decode(encoded), FailureReason.TENSOR_DATA_SIZE_MISMATCH);
    }

    // The decoder returns a read-only view, and honours offset and length.

    @Test
    void decodesOnlyTheGivenRangeOfALargerArray() {
        byte[] tensor = TensorRoundTripTest.knownAnswerTensorBytes();
        byte[] surrounded = concat(new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE}, tensor, new byte[] {(byte) 0xEE});

        Tensor decoded = TensorCodec.decode(surrounded, 3, tensor.length);

        assertThat(decoded).isEqualTo(TensorCodec.decode(tensor));
    }

    @Test
    void decodedDataIsReadOnly() {
        ByteBuffer data = TensorCodec.decode(TensorRoundTripTest.knownAnswerTensorBytes()).data();

        assertThat(data.isReadOnly()).isTrue();
        assertThat(data.remaining()).isEqualTo(24);
    }

    private static byte[] bytesCounting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    void aNameWithAnUnpairedSurrogateIsRefusedByTheEncoder() {
        Tensor tensor = Tensor.of("a\uD800", DType.U8, new long[] {1}, new byte[] {7});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TensorCodec.encode(tensor))
                .isInstanceOf(dev.securechannel.SecureChannelException.class)
                .extracting(e -> ((dev.securechannel.SecureChannelException) e).reason())
                .isEqualTo(dev.securechannel.FailureReason.INVALID_TENSOR_NAME);
    }
}
