package dev.securechannel.client.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frames the connector masks itself are read back by Netty's own server-side decoder,
 * which insists on masked client frames: every length encoding (7-bit, 16-bit, 64-bit), the
 * boundaries between them, and payloads whose length is not a multiple of the 8-byte step.
 */
class MaskedBinaryFramesTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 7, 8, 9, 15, 125, 126, 127, 1536, 65535, 65536, 65537, 1024 * 1024 + 5})
    void nettysServerDecoderReadsThePayloadBack(int length) {
        SplittableRandom random = new SplittableRandom(length);
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) random.nextInt();
        }
        int maskingKey = random.nextInt() | 0x01010101; // no zero key byte, so masking must change every byte
        byte[] frame = MaskedBinaryFrames.encode(payload, maskingKey);

        EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).allowMaskMismatch(false).maxFramePayloadLength(2 * 1024 * 1024).build()));
        // Delivered in uneven pieces, as a socket would.
        for (int offset = 0; offset < frame.length; offset += 4093) {
            server.writeInbound(Unpooled.wrappedBuffer(frame, offset, Math.min(4093, frame.length - offset)));
        }
        BinaryWebSocketFrame decoded = server.readInbound();
        try {
            assertThat(decoded.isFinalFragment()).isTrue();
            assertThat(ByteBufUtil.getBytes(decoded.content())).isEqualTo(payload);
        } finally {
            decoded.release();
        }
        assertThat((Object) server.readInbound()).isNull();
        assertThat(server.finish()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {9, 1536})
    void thePayloadOnTheWireIsMaskedWithTheGivenKey(int length) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 0x5A);
        int maskingKey = 0x11223344;
        byte[] frame = MaskedBinaryFrames.encode(payload, maskingKey);

        int keyOffset = length <= 125 ? 2 : 4;
        assertThat(frame[0]).isEqualTo((byte) 0x82);
        assertThat(frame[1] & 0x80).isEqualTo(0x80);
        assertThat(Arrays.copyOfRange(frame, keyOffset, keyOffset + 4)).containsExactly(0x11, 0x22, 0x33, 0x44);
        byte[] key = {0x11, 0x22, 0x33, 0x44};
        for (int i = 0; i < length; i++) {
            assertThat(frame[keyOffset + 4 + i]).isEqualTo((byte) (0x5A ^ key[i % 4]));
        }
    }
}
