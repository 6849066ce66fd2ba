package dev.securechannel.session;

import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.RecordContexts;
import dev.securechannel.internal.handshake.Handshake;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeResponder;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.handshake.HandshakeStep;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.transport.FrameTransport;
import java.io.IOException;
import java.util.Objects;

/**
 * A hostile peer on the far end of a transport: it runs the handshake by hand with the
 * state machines (so it holds real session keys), then writes whatever bytes a test crafts,
 * sealed or not, in any order.
 */
final class RawPeer {

    private final FrameTransport transport;
    private final HandshakeResult result;

    private RawPeer(FrameTransport transport, HandshakeResult result) {
        this.transport = transport;
        this.result = result;
    }

    /** Completes the initiator's side of the handshake over {@code transport}. */
    static RawPeer initiate(FrameTransport transport, SessionConfig config) throws IOException {
        return run(new HandshakeInitiator(config), transport);
    }

    /** Completes the responder's side of the handshake over {@code transport}. */
    static RawPeer respond(FrameTransport transport, SessionConfig config) throws IOException {
        return run(new HandshakeResponder(config), transport);
    }

    private static RawPeer run(Handshake handshake, FrameTransport transport) throws IOException {
        byte[] first = handshake.start();
        if (first != null) {
            transport.send(first);
        }
        while (true) {
            byte[] frame = Objects.requireNonNull(transport.receive(Handshake.MAX_HANDSHAKE_PAYLOAD_LENGTH, ChannelTesting.WAIT),
                    "victim closed during the handshake");
            HandshakeStep step = handshake.onFrame(frame);
            if (step.reply() != null) {
                transport.send(step.reply());
            }
            if (step.result() != null) {
                return new RawPeer(transport, step.result());
            }
        }
    }

    /** Writes {@code frame} as it is. */
    void sendRaw(byte[] frame) throws IOException {
        transport.send(frame);
    }

    /** Seals {@code plaintext} as the next frame of {@code type} without sending it. */
    byte[] seal(FrameType type, byte[] plaintext) {
        return result.sealing().seal(type, plaintext);
    }

    /** Seals a tensor as the next Tensor frame without sending it. */
    byte[] sealTensor(Tensor tensor) {
        return RecordContexts.sealTensor(result.sealing(), tensor);
    }

    /** The far end of the transport. */
    FrameTransport transport() {
        return transport;
    }
}
