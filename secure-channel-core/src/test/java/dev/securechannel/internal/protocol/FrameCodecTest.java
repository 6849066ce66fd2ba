package dev.securechannel.internal.protocol;

import static dev.securechannel.internal.protocol.CodecTestSupport.assertRejected;
import static dev.securechannel.internal.protocol.CodecTestSupport.concat;
import static dev.securechannel.internal.protocol.CodecTestSupport.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.FailureReason;
import dev.securechannel.protocol.FrameType;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The 13-byte frame header and whole-frame messages (PROTOCOL.md section 1 and the one frame
 * per WebSocket message rule of section 7): CONFORMANCE A5-A9 and A13-A15, the WebSocket
 * halves of A2, A4 and A8, and the order in which header fields are validated.
 *
 * <p>Rejection tests hand {@link FrameCodec#decodeHeader} exactly the 13 header bytes, with a
 * payload_len that promises more: passing proves the check runs before any payload is read.
 */
class FrameCodecTest {

    private static final int MAGIC = 0xCF4D;
    private static final int MAX = FrameCodec.MAX_PAYLOAD_LENGTH;

    @Test
    void encodesEveryHeaderFieldBigEndianAtItsOffset() {
        Frame frame = new Frame(FrameType.TENSOR, 0x03, 0x01020304L, new byte[] {9, 8, 7});

        assertThat(HexFormat.of().formatHex(FrameCodec.encode(frame)))
                .isEqualTo("cf4d" + "04" + "06" + "03" + "01020304" + "00000003" + "090807");
    }

    @Test
    void decodesAHandBuiltHeaderIntoItsFields() {
        byte[] bytes = header(MAGIC, 4, 0x05, 0xA5, 0xFFFF_FFFEL, 1234);

        FrameHeader decoded = FrameCodec.decodeHeader(bytes, 0, MAX);

        assertThat(decoded).isEqualTo(new FrameHeader(FrameType.SHUTDOWN, 0xA5, 0xFFFF_FFFEL, 1234));
        assertThat(decoded.frameLength()).isEqualTo(13 + 1234);
    }

    @Test
    void decodesAHeaderAtAnOffset() {
        byte[] bytes = concat(new byte[] {1, 2, 3}, header(MAGIC, 4, 0x02, 0x01, 7, 40));

        assertThat(FrameCodec.decodeHeader(bytes, 3, MAX)).isEqualTo(new FrameHeader(FrameType.DATA, 0x01, 7, 40));
    }

    // A5

    @Test
    void rejectsAZeroMagicBeforeThePayloadIsRead() {
        byte[] bytes = header(0x0000, 4, 0x02, 0, 0, 100);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, MAX), FailureReason.INVALID_MAGIC);
    }

    @ParameterizedTest(name = "magic 0x{0}")
    @ValueSource(strings = {"cf00", "004d", "4dcf", "ce4d", "cf4c", "ffff"})
    void rejectsAnyOtherMagic(String magicHex) {
        byte[] bytes = header(Integer.parseInt(magicHex, 16), 4, 0x02, 0, 0, 0);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, MAX), FailureReason.INVALID_MAGIC);
    }

    // A6

    @ParameterizedTest(name = "version {0}")
    @MethodSource("versionsOtherThanFour")
    void rejectsEveryVersionOtherThanFour(int version) {
        byte[] bytes = header(MAGIC, version, 0x02, 0, 0, 100);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, MAX), FailureReason.UNSUPPORTED_VERSION);
    }

    static IntStream versionsOtherThanFour() {
        return IntStream.range(0, 256).filter(version -> version != 4);
    }

    // A7

    @ParameterizedTest(name = "msg_type 0x{0}")
    @MethodSource("undefinedMessageTypes")
    void rejectsEveryUndefinedMessageType(int type) {
        byte[] bytes = header(MAGIC, 4, type, 0, 0, 100);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, MAX), FailureReason.UNKNOWN_MESSAGE_TYPE);
    }

    static IntStream undefinedMessageTypes() {
        return IntStream.concat(IntStream.of(0x00), IntStream.range(0x08, 0x100));
    }

    @Test
    void mapsTheSevenDefinedMessageTypeBytesInProtocolOrder() {
        // 0x07 KeyUpdate passes the codec; a session without the key update extension rejects it.
        assertThat(IntStream.rangeClosed(1, 7).mapToObj(FrameType::fromCode))
                .containsExactly(FrameType.HELLO, FrameType.DATA, FrameType.ERROR,
                        FrameType.HEARTBEAT, FrameType.SHUTDOWN, FrameType.TENSOR, FrameType.KEY_UPDATE);
        assertThat(Arrays.stream(FrameType.values()).mapToInt(FrameType::code)).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    // Validation order: magic, version, type, length (section 1).

    @Test
    void checksTheMagicBeforeTheVersion() {
        byte[] bytes = header(0x0000, 2, 0x00, 0, 0, 0xFFFF_FFFFL);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, MAX), FailureReason.INVALID_MAGIC);
    }

    @Test
    void checksTheVersionBeforeTheMessageType() {
        byte[] bytes = header(MAGIC, 3, 0x00, 0, 0, 0xFFFF_FFFFL);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, MAX), FailureReason.UNSUPPORTED_VERSION);
    }

    @Test
    void checksTheMessageTypeBeforeThePayloadLength() {
        byte[] bytes = header(MAGIC, 4, 0x09, 0, 0, 0xFFFF_FFFFL);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, MAX), FailureReason.UNKNOWN_MESSAGE_TYPE);
    }

    // A8

    @Test
    void rejectsPayloadLengthFFFFFFFFAsTooLarge() {
        byte[] bytes = header(FrameType.DATA, 0xFFFF_FFFFL);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, MAX), FailureReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void rejectsPayloadLengthOneByteOverThirtyTwoMiB() {
        byte[] bytes = header(FrameType.DATA, MAX + 1L);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, MAX), FailureReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void neverAcceptsMoreThanThirtyTwoMiBWhateverCapTheCallerPasses() {
        byte[] bytes = header(FrameType.DATA, MAX + 1L);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, Integer.MAX_VALUE), FailureReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void anOversizedMessageIsReportedAsTooLargeWhichClosesWith1009() {
        byte[] message = header(FrameType.DATA, 0xFFFF_FFFFL);

        assertRejected(() -> FrameCodec.decodeMessageHeader(message, MAX), FailureReason.PAYLOAD_TOO_LARGE);
        assertThat(FailureReason.PAYLOAD_TOO_LARGE.closeCode()).isEqualTo(1009);
    }

    // A9

    @Test
    void rejectsPayloadLengthOneOverAStricterCap() {
        byte[] bytes = header(FrameType.DATA, 1025);

        assertRejected(() -> FrameCodec.decodeHeader(bytes, 0, 1024), FailureReason.PAYLOAD_TOO_LARGE);
    }

    @Test
    void acceptsPayloadLengthEqualToAStricterCap() {
        byte[] bytes = header(FrameType.DATA, 1024);

        assertThat(FrameCodec.decodeHeader(bytes, 0, 1024).payloadLength()).isEqualTo(1024);
    }

    @Test
    void aZeroCapStillAcceptsAnEmptyPayload() {
        byte[] bytes = header(FrameType.HEARTBEAT, 0);

        assertThat(FrameCodec.decodeHeader(bytes, 0, 0).payloadLength()).isZero();
    }

    // A13

    @ParameterizedTest
    @EnumSource(value = FrameType.class, names = {"DATA", "HELLO", "TENSOR"})
    void refusesToBuildAFrameWithAPayloadOverThirtyTwoMiB(FrameType type) {
        byte[] oversized = new byte[MAX + 1];

        assertThatThrownBy(() -> new Frame(type, 0, 0, oversized))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void writeHeaderRefusesAnOversizedLengthWithoutWritingAnyByte() {
        byte[] destination = new byte[FrameCodec.HEADER_LENGTH];
        Arrays.fill(destination, (byte) 0x55);
        byte[] untouched = destination.clone();

        assertThatThrownBy(() -> FrameCodec.writeHeader(destination, 0, FrameType.DATA, 0, 0, MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(destination).isEqualTo(untouched);
    }

    @Test
    void writeHeaderRefusesANegativeLength() {
        byte[] destination = new byte[FrameCodec.HEADER_LENGTH];

        assertThatThrownBy(() -> FrameCodec.writeHeader(destination, 0, FrameType.DATA, 0, 0, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "flags {0}")
    @ValueSource(ints = {-1, 0x100})
    void refusesToBuildAFrameWhoseFlagsDoNotFitInAByte(int flags) {
        assertThatThrownBy(() -> new Frame(FrameType.DATA, flags, 0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "sequence {0}")
    @ValueSource(longs = {-1L, 0x1_0000_0000L})
    void refusesToBuildAFrameWhoseSequenceIsNotAU32(long sequence) {
        assertThatThrownBy(() -> new Frame(FrameType.DATA, 0, sequence, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    // A14

    @Test
    void acceptsAPayloadOfExactlyThirtyTwoMiB() {
        byte[] payload = new byte[MAX];
        payload[0] = 1;
        payload[MAX / 2] = 2;
        payload[MAX - 1] = 3;
        Frame frame = new Frame(FrameType.DATA, FrameFlags.ENCRYPTED, 9, payload);

        byte[] encoded = FrameCodec.encode(frame);
        Frame decoded = FrameCodec.decodeMessage(encoded, MAX);

        assertThat(encoded).hasSize(13 + MAX);
        assertThat(decoded.payload().length).isEqualTo(MAX);
        assertThat(decoded).isEqualTo(frame);
    }

    @Test
    void acceptsAnEmptyPayload() {
        Frame frame = new Frame(FrameType.DATA, 0, 0, new byte[0]);

        byte[] encoded = FrameCodec.encode(frame);

        assertThat(encoded).hasSize(FrameCodec.HEADER_LENGTH);
        assertThat(FrameCodec.decodeMessage(encoded, MAX)).isEqualTo(frame);
    }

    // A15

    @Test
    void encryptedAndTensorPayloadTogetherAreFlagByte0x03() {
        int flags = FrameFlags.ENCRYPTED | FrameFlags.TENSOR_PAYLOAD;

        assertThat(flags).isEqualTo(0x03);
        assertThat(FrameFlags.isEncrypted(flags)).isTrue();
        assertThat(FrameFlags.isTensor(flags)).isTrue();
        assertThat(FrameFlags.has(flags, FrameFlags.ENCRYPTED | FrameFlags.TENSOR_PAYLOAD)).isTrue();
        assertThat(FrameFlags.has(flags, FrameFlags.BATCH)).isFalse();
        assertThat(FrameFlags.has(flags, FrameFlags.COMPRESSED)).isFalse();
    }

    @Test
    void emptyFlagsAreZeroWithNoBitSet() {
        assertThat(FrameFlags.NONE).isZero();
        assertThat(FrameFlags.isEncrypted(FrameFlags.NONE)).isFalse();
        assertThat(FrameFlags.isTensor(FrameFlags.NONE)).isFalse();
        assertThat(FrameFlags.has(FrameFlags.NONE, FrameFlags.ENCRYPTED)).isFalse();
    }

    @Test
    void hasRequiresEveryBitOfTheQueriedMask() {
        assertThat(FrameFlags.has(FrameFlags.ENCRYPTED, FrameFlags.ENCRYPTED | FrameFlags.TENSOR_PAYLOAD)).isFalse();
    }

    @Test
    void theFourDefinedFlagBitsAreTheLowNibble() {
        assertThat(new int[] {FrameFlags.ENCRYPTED, FrameFlags.TENSOR_PAYLOAD, FrameFlags.BATCH, FrameFlags.COMPRESSED})
                .containsExactly(0x01, 0x02, 0x04, 0x08);
        assertThat(FrameFlags.KNOWN).isEqualTo(0x0F);
    }

    @Test
    void sealedTensorFramesCarryEncryptedAndTensorFlagsAndAllOthersOnlyEncrypted() {
        assertThat(FrameType.TENSOR.sealedFlags()).isEqualTo(0x03);
        for (FrameType type : new FrameType[] {FrameType.DATA, FrameType.ERROR, FrameType.HEARTBEAT, FrameType.SHUTDOWN}) {
            assertThat(type.sealedFlags()).as(type.name()).isEqualTo(0x01);
        }
    }

    // One whole frame per WebSocket message (section 7).

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 5, 12})
    void rejectsAMessageShorterThanAHeaderAsMalformed(int length) {
        byte[] message = Arrays.copyOf(header(FrameType.DATA, 0), length);

        assertRejected(() -> FrameCodec.decodeMessageHeader(message, MAX), FailureReason.MALFORMED_FRAME);
    }

    @Test
    void rejectsAMessageHoldingOnlyPartOfItsFrameAsMalformed() {
        byte[] message = concat(header(FrameType.DATA, 100), new byte[99]);

        assertRejected(() -> FrameCodec.decodeMessageHeader(message, MAX), FailureReason.MALFORMED_FRAME);
    }

    @Test
    void rejectsAMessageWithBytesAfterItsFrameAsMalformed() {
        byte[] message = concat(header(FrameType.DATA, 100), new byte[101]);

        assertRejected(() -> FrameCodec.decodeMessageHeader(message, MAX), FailureReason.MALFORMED_FRAME);
    }

    @Test
    void rejectsTwoFramesInOneMessageAsMalformed() {
        byte[] first = FrameCodec.encode(new Frame(FrameType.DATA, 0x01, 0, new byte[] {1, 2, 3}));
        byte[] second = FrameCodec.encode(new Frame(FrameType.HEARTBEAT, 0x01, 1, new byte[0]));

        assertRejected(() -> FrameCodec.decodeMessage(concat(first, second), MAX), FailureReason.MALFORMED_FRAME);
    }

    @Test
    void malformedFramesCloseWith1002() {
        assertThat(FailureReason.MALFORMED_FRAME.closeCode()).isEqualTo(1002);
        assertThat(FailureReason.INVALID_MAGIC.closeCode()).isEqualTo(1002);
        assertThat(FailureReason.UNSUPPORTED_VERSION.closeCode()).isEqualTo(1002);
        assertThat(FailureReason.UNKNOWN_MESSAGE_TYPE.closeCode()).isEqualTo(1002);
    }

    @Test
    void acceptsAMessageWhoseLengthIsExactlyHeaderPlusPayload() {
        byte[] message = concat(header(FrameType.ERROR, 3), new byte[] {'b', 'a', 'd'});

        assertThat(FrameCodec.decodeMessageHeader(message, MAX)).isEqualTo(new FrameHeader(FrameType.ERROR, 0, 0, 3));
    }

    @Test
    void decodedMessagePayloadIsACopyOfTheMessage() {
        byte[] message = concat(header(FrameType.DATA, 2), new byte[] {10, 20});

        Frame frame = FrameCodec.decodeMessage(message, MAX);
        message[13] = 99;

        assertThat(frame.payload()).containsExactly(10, 20);
    }
}
