package dev.securechannel.bench.endpoint;

import dev.securechannel.internal.protocol.Frame;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.FrameFlags;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.transport.FrameTransport;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * The plaintext baseline: the secure channel's framing over the same {@link FrameTransport},
 * without cryptography. Each message is one unencrypted Data frame built by
 * {@link FrameCodec#encode} (a new frame array and one copy of the message, as sealing writes
 * into a new frame) and read back by {@link FrameCodec#decodeMessage} (header validation and one
 * copy into a new message array, as opening does), with the sequence checked in order.
 * The difference to {@link SecureMessageEndpoint} is therefore the cryptography and session
 * bookkeeping, nothing else.
 */
public final class PlaintextFrameEndpoint implements MessageEndpoint {

    private final FrameTransport transport;
    private long sendSequence;
    private long receiveSequence;

    /** Uses {@code transport} as is; there is no handshake. */
    public PlaintextFrameEndpoint(FrameTransport transport) {
        this.transport = transport;
    }

    @Override
    public void send(byte[] message) throws IOException {
        transport.send(FrameCodec.encode(new Frame(FrameType.DATA, FrameFlags.NONE, sendSequence++, message)));
    }

    @Override
    public byte[] receive() throws IOException {
        byte[] bytes = transport.receive(FrameCodec.MAX_PAYLOAD_LENGTH, Duration.ZERO);
        if (bytes == null) {
            throw new EOFException("peer closed");
        }
        Frame frame = FrameCodec.decodeMessage(bytes, FrameCodec.MAX_PAYLOAD_LENGTH);
        if (frame.type() != FrameType.DATA || frame.sequence() != receiveSequence++) {
            throw new IOException("unexpected frame " + frame.type() + " #" + frame.sequence());
        }
        return frame.payload();
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException ignored) {
            // In-memory transports do not fail to close; nothing to report in a benchmark tear-down.
        }
    }
}
