package dev.securechannel.client.netty;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Encodes one client-to-server binary WebSocket frame (RFC 6455 section 5.2: FIN, opcode 2, the
 * MASK bit, the payload length, a masking key and the masked payload) into a single array.
 *
 * <p>Why the connector does this itself instead of handing Netty a {@code BinaryWebSocketFrame}:
 * Netty's encoder masks eight bytes at a time through its buffer abstraction, with bounds and
 * reference-count checks per step, and on JDK 24 and later, where Netty no longer uses
 * {@code sun.misc.Unsafe} by default, through a slower memory-segment path. That masking was
 * the largest single cost of a 1 MiB upload (half of the client event loop's samples). A
 * plain loop over heap arrays, eight bytes per step, runs at memory speed on every JDK and
 * moves the work from the event loop to the sending thread. The frame then passes Netty's
 * encoder untouched (it only encodes {@code WebSocketFrame} objects).
 */
final class MaskedBinaryFrames {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int FIN_BINARY = 0x82;
    private static final int MASK_BIT = 0x80;

    private MaskedBinaryFrames() {
    }

    /**
     * The whole frame carrying {@code payload}, masked with {@code maskingKey} (its four bytes,
     * most significant first, are the key on the wire). The key must come from a strong source
     * of randomness (RFC 6455 section 5.3); this method only applies it.
     */
    static byte[] encode(byte[] payload, int maskingKey) {
        int length = payload.length;
        int lengthBytes = length <= 125 ? 0 : length <= 0xFFFF ? 2 : 8;
        int headerLength = 2 + lengthBytes + 4;
        byte[] frame = new byte[headerLength + length];
        frame[0] = (byte) FIN_BINARY;
        if (lengthBytes == 0) {
            frame[1] = (byte) (MASK_BIT | length);
        } else if (lengthBytes == 2) {
            frame[1] = (byte) (MASK_BIT | 126);
            frame[2] = (byte) (length >>> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = (byte) (MASK_BIT | 127);
            LONGS.set(frame, 2, (long) length);
        }
        int keyOffset = 2 + lengthBytes;
        frame[keyOffset] = (byte) (maskingKey >>> 24);
        frame[keyOffset + 1] = (byte) (maskingKey >>> 16);
        frame[keyOffset + 2] = (byte) (maskingKey >>> 8);
        frame[keyOffset + 3] = (byte) maskingKey;
        // Payload byte i is XORed with key byte i % 4; eight bytes at a time, the key repeats twice.
        long wideKey = ((long) maskingKey << 32) | (maskingKey & 0xFFFFFFFFL);
        int i = 0;
        for (int wideEnd = length & ~7; i < wideEnd; i += 8) {
            LONGS.set(frame, headerLength + i, (long) LONGS.get(payload, i) ^ wideKey);
        }
        for (; i < length; i++) {
            frame[headerLength + i] = (byte) (payload[i] ^ (maskingKey >>> (24 - 8 * (i & 3))));
        }
        return frame;
    }
}
