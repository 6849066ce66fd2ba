package dev.securechannel.session;

import dev.securechannel.protocol.FrameType;
import dev.securechannel.protocol.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A message delivered to the application from an established session. */
public sealed interface Message {

    /** The type of the frame that carried this message (PROTOCOL.md section 1). */
    FrameType frameType();

    /**
     * Opaque application bytes.
     *
     * @param payload the plaintext, owned by the receiver
     */
    record Data(byte[] payload) implements Message {

        @Override
        public FrameType frameType() {
            return FrameType.DATA;
        }

        /** The payload decoded as UTF-8 (malformed input replaced). */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Data that && Arrays.equals(payload, that.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Data[" + payload.length + " bytes]";
        }
    }

    /**
     * A tensor.
     *
     * @param tensor the decoded tensor
     */
    record TensorMessage(Tensor tensor) implements Message {

        @Override
        public FrameType frameType() {
            return FrameType.TENSOR;
        }
    }

    /** A keep-alive from the peer. */
    record Heartbeat() implements Message {

        @Override
        public FrameType frameType() {
            return FrameType.HEARTBEAT;
        }
    }

    /**
     * The peer reported an error; the session stays open unless the peer closes it.
     *
     * @param reason the peer's reason, decoded leniently, stripped of control characters and capped
     */
    record Error(String reason) implements Message {

        @Override
        public FrameType frameType() {
            return FrameType.ERROR;
        }
    }

    /** The peer ended the session cleanly; nothing more will be delivered. */
    record Shutdown() implements Message {

        @Override
        public FrameType frameType() {
            return FrameType.SHUTDOWN;
        }
    }
}
