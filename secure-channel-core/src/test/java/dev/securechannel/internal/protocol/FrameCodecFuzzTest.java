package dev.securechannel.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.SecureChannelException;
import java.util.Arrays;

/**
 * The whole-message frame codec against any bytes: a message is either one frame, which
 * re-encodes to exactly the bytes it came from and whose payload respects the cap in force, or
 * it is refused with a {@link SecureChannelException} only.
 */
class FrameCodecFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void decodesAMessageToAFrameThatReEncodesExactlyOrRefusesWithATypedError(FuzzedDataProvider data) {
        // The cap is chosen by the input so that both sides of every cap comparison are reached.
        int cap = data.consumeInt(0, FrameCodec.MAX_PAYLOAD_LENGTH + 1);
        byte[] message = data.consumeRemainingAsBytes();
        Frame frame;
        try {
            frame = FrameCodec.decodeMessage(message, cap);
        } catch (SecureChannelException refused) {
            return;
        }
        assertThat(frame.payload().length).isLessThanOrEqualTo(Math.min(cap, FrameCodec.MAX_PAYLOAD_LENGTH));
        assertThat(FrameCodec.encode(frame)).isEqualTo(message);
    }

    @FuzzTest(maxDuration = "10m")
    void decodesAHeaderToTheFieldsItsBytesHoldOrRefusesWithATypedError(FuzzedDataProvider data) {
        int cap = data.consumeInt(0, FrameCodec.MAX_PAYLOAD_LENGTH + 1);
        byte[] bytes = data.consumeRemainingAsBytes();
        if (bytes.length < FrameCodec.HEADER_LENGTH) {
            return; // the caller guarantees a whole header; shorter input is outside the contract
        }
        FrameHeader header;
        try {
            header = FrameCodec.decodeHeader(bytes, 0, cap);
        } catch (SecureChannelException refused) {
            return;
        }
        assertThat(header.payloadLength()).isBetween(0, Math.min(cap, FrameCodec.MAX_PAYLOAD_LENGTH));
        byte[] rewritten = new byte[FrameCodec.HEADER_LENGTH];
        FrameCodec.writeHeader(rewritten, 0, header.type(), header.flags(), header.sequence(), header.payloadLength());
        assertThat(rewritten).isEqualTo(Arrays.copyOf(bytes, FrameCodec.HEADER_LENGTH));
    }
}
