package dev.securechannel.internal.protocol;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reassembles frames from a byte stream (TCP), one chunk at a time.
 *
 * <p>The buffer grows only with the bytes that have actually arrived (to at most twice them
 * plus 64 KiB), never to a length declared by an unauthenticated header. A header is validated as
 * soon as its 13 bytes are present, before any of its payload is read.
 *
 * <p>Not thread-safe: one reader owns a decoder.
 */
public final class FrameDecoder {

    /** Headroom the buffer may reserve beyond the bytes present. */
    static final int RESERVE_HEADROOM = 64 * 1024;

    private int maxPayloadLength;
    private static final byte[] EMPTY = new byte[0];

    private byte[] buffer = EMPTY;
    private int start;
    private int end;
    private @Nullable FrameHeader pendingHeader;

    /** A decoder enforcing {@code maxPayloadLength} (at most 32 MiB). */
    public FrameDecoder(int maxPayloadLength) {
        setMaxPayloadLength(maxPayloadLength);
    }

    /** Changes the cap for frames whose header has not been decoded yet (for example after the handshake). */
    public void setMaxPayloadLength(int maxPayloadLength) {
        if (maxPayloadLength < 0 || maxPayloadLength > FrameCodec.MAX_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("cap must be within 0.." + FrameCodec.MAX_PAYLOAD_LENGTH);
        }
        this.maxPayloadLength = maxPayloadLength;
    }

    /** Appends received bytes. */
    public void feed(byte[] bytes, int offset, int length) {
        ensureRoom(length);
        System.arraycopy(bytes, offset, buffer, end, length);
        end += length;
    }

    /** Appends received bytes. */
    public void feed(byte[] bytes) {
        feed(bytes, 0, bytes.length);
    }

    /**
     * The next whole frame as one array (header and payload), or {@code null} when more bytes are needed.
     *
     * @throws SecureChannelException for an invalid header; the decoder is then unusable
     */
    public byte @Nullable [] nextFrameBytes() {
        int available = end - start;
        if (pendingHeader == null) {
            if (available < FrameCodec.HEADER_LENGTH) {
                return null;
            }
            pendingHeader = FrameCodec.decodeHeader(buffer, start, maxPayloadLength);
        }
        int frameLength = pendingHeader.frameLength();
        if (available < frameLength) {
            return null;
        }
        byte[] frame = Arrays.copyOfRange(buffer, start, start + frameLength);
        start += frameLength;
        pendingHeader = null;
        if (start == end) {
            start = 0;
            end = 0;
            if (buffer.length > RESERVE_HEADROOM) {
                // An idle connection keeps no large buffer: after a big frame the reservation
                // returns to nothing, so many idle sessions cost little memory each.
                buffer = EMPTY;
            }
        }
        return frame;
    }

    /** The next whole frame, or {@code null} when more bytes are needed. */
    public @Nullable Frame next() {
        byte[] bytes = nextFrameBytes();
        // The header already passed the cap in force when it was decoded; a later cap change must not apply to it.
        return bytes == null ? null : FrameCodec.decodeMessage(bytes, FrameCodec.MAX_PAYLOAD_LENGTH);
    }

    /** Bytes received but not yet returned as a frame. */
    public int bufferedBytes() {
        return end - start;
    }

    /**
     * The capacity currently reserved: at most twice the bytes buffered plus 64 KiB, and at most
     * 64 KiB once every buffered byte has been returned as a frame.
     */
    public int reservedCapacity() {
        return buffer.length;
    }

    private void ensureRoom(int incoming) {
        if (buffer.length - end >= incoming) {
            return;
        }
        int live = end - start;
        long needed = (long) live + incoming;
        long ceiling = (long) FrameCodec.HEADER_LENGTH + FrameCodec.MAX_PAYLOAD_LENGTH + RESERVE_HEADROOM;
        if (needed > ceiling) {
            throw new SecureChannelException(FailureReason.PAYLOAD_TOO_LARGE, "stream buffer over " + ceiling + " bytes");
        }
        if (buffer.length >= needed) {
            System.arraycopy(buffer, start, buffer, 0, live);
        } else {
            // Geometric growth keeps reassembly of a large frame linear, while the reservation
            // stays within twice the bytes actually present (plus headroom), never the declared length.
            long grown = Math.min(ceiling, Math.max(needed + RESERVE_HEADROOM, 2 * needed));
            byte[] bigger = new byte[(int) grown];
            System.arraycopy(buffer, start, bigger, 0, live);
            buffer = bigger;
        }
        start = 0;
        end = live;
    }
}
