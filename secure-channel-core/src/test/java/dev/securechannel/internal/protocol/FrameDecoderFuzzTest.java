package dev.securechannel.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.SecureChannelException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The streaming frame decoder against any bytes in any chunking: it returns exactly the frames
 * the bytes hold, each re-encoding to the bytes it came from; it refuses anything else with a
 * {@link SecureChannelException} only; it reserves memory for bytes that arrived, never for a
 * length a header declares; and once drained it keeps no large buffer.
 */
class FrameDecoderFuzzTest {

    private static final int CAP = 64 * 1024;

    @FuzzTest(maxDuration = "10m")
    void returnsOnlyTheFramesTheBytesHoldOrRefusesWithATypedError(FuzzedDataProvider data) {
        FrameDecoder decoder = new FrameDecoder(CAP);
        ByteArrayOutputStream fed = new ByteArrayOutputStream();
        ByteArrayOutputStream returned = new ByteArrayOutputStream();
        long mostBuffered = 0;
        try {
            while (data.remainingBytes() > 0) {
                byte[] chunk = data.consumeBytes(data.consumeInt(1, 4096));
                decoder.feed(chunk);
                fed.writeBytes(chunk);
                mostBuffered = Math.max(mostBuffered, decoder.bufferedBytes());
                // Reserved for bytes that arrived, never for a length a header declares.
                assertThat((long) decoder.reservedCapacity()).isLessThanOrEqualTo(2 * mostBuffered + FrameDecoder.RESERVE_HEADROOM);
                byte[] frame;
                while ((frame = decoder.nextFrameBytes()) != null) {
                    Frame decoded = FrameCodec.decodeMessage(frame, CAP);
                    assertThat(FrameCodec.encode(decoded)).isEqualTo(frame);
                    returned.writeBytes(frame);
                }
                if (decoder.bufferedBytes() == 0) {
                    assertThat(decoder.reservedCapacity()).isLessThanOrEqualTo(FrameDecoder.RESERVE_HEADROOM);
                }
            }
        } catch (SecureChannelException refused) {
            // A refusal is an allowed outcome; what was returned before it must still be a prefix of the input.
        }
        byte[] input = fed.toByteArray();
        byte[] output = returned.toByteArray();
        assertThat(Arrays.copyOf(input, output.length)).isEqualTo(output);
        assertThat(output.length + decoder.bufferedBytes()).isLessThanOrEqualTo(input.length);
    }
}
