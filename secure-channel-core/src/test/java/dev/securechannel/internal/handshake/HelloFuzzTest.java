package dev.securechannel.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameHeader;
import java.util.Arrays;

/**
 * Hello and confirmation parsing against any bytes: a frame is either refused with a
 * {@link SecureChannelException} whose reason names the problem (never INTERNAL_ERROR, which
 * would mean an untyped exception escaped), or it parses to a message that encodes back to
 * exactly the received frame; the only byte a sender may choose freely is the flags byte of a
 * confirmation, which the receiver ignores.
 */
class HelloFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void parsesAHelloThatReEncodesExactlyOrRefusesWithATypedError(FuzzedDataProvider data) {
        int messageNumber = data.pickValue(new int[] {Hello.INITIATOR_HELLO, Hello.RESPONDER_HELLO});
        byte[] frame = data.consumeRemainingAsBytes();
        Hello hello;
        FrameHeader header;
        try {
            header = Hello.checkFrame(frame, messageNumber, 0);
            hello = Hello.parse(frame, header);
        } catch (SecureChannelException refused) {
            assertThat(refused.reason()).isNotEqualTo(FailureReason.INTERNAL_ERROR);
            return;
        }
        assertThat(hello.publicKey()).hasSize(32);
        assertThat(hello.nonce()).hasSize(32);
        assertThat(hello.encode(messageNumber, header.flags())).isEqualTo(frame);
    }

    @FuzzTest(maxDuration = "10m")
    void parsesAConfirmationThatReEncodesExactlyOrRefusesWithATypedError(byte[] frame) {
        byte[] confirmation;
        try {
            FrameHeader header = Hello.checkFrame(frame, Hello.CONFIRMATION, 1);
            confirmation = Hello.parseConfirmation(frame, header);
        } catch (SecureChannelException refused) {
            assertThat(refused.reason()).isNotEqualTo(FailureReason.INTERNAL_ERROR);
            return;
        }
        byte[] reEncoded = Hello.encodeConfirmation(confirmation);
        byte[] withoutFlags = frame.clone();
        withoutFlags[WireFrames.FLAGS_OFFSET] = reEncoded[WireFrames.FLAGS_OFFSET];
        assertThat(reEncoded).isEqualTo(withoutFlags);
        assertThat(Arrays.copyOfRange(frame, FrameCodec.HEADER_LENGTH + 1, frame.length)).isEqualTo(confirmation);
    }
}
