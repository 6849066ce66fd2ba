package dev.securechannel.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.X25519KeyPair;
import dev.securechannel.internal.handshake.HandshakeFixtures;
import dev.securechannel.internal.handshake.HandshakeInitiator;
import dev.securechannel.internal.handshake.HandshakeResponder;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.protocol.FrameType;
import dev.securechannel.session.Message;
import dev.securechannel.testing.SharedFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The receiving record layer after a real handshake, fed any sequence of frames, in both record
 * protocols: with the parties and traffic of {@code kat-v4-ext-1} (AES-256-GCM and key update)
 * and of {@code kat-v4-1} (base version 4: ChaCha20-Poly1305, no extensions). Nothing may be
 * delivered that the peer did not seal: a message comes out only for a frame byte-equal to the
 * next frame the honest client sealed, and it is the message the client sent. Every refusal is a
 * {@link SecureChannelException} with a specific reason (never INTERNAL_ERROR) and leaves the
 * session failed, so that no later frame, not even an honest one, is delivered.
 *
 * <p>Input layout: records of {@code u8 control | u16 length (big-endian) | length bytes}.
 * Control 0 delivers the bytes as a frame; 1 delivers the next honest frame; 2 delivers the
 * next honest frame with the bytes XOR-ed over its start (a tampered frame the fuzzer need not
 * assemble from scratch). The seeds deliver the known-answer frames themselves.
 */
class RecordSessionFuzzTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final JsonNode EXTENDED_KAT = SharedFiles.json("vectors/protocol/kat-v4-ext-1.json");
    private static final JsonNode BASE_KAT = SharedFiles.json("vectors/protocol/kat-v4-1.json");

    @FuzzTest(maxDuration = "10m")
    void deliversOnlyWhatTheHonestPeerSealedInOrder(byte[] input) throws IOException {
        deliversOnlyWhatWasSealed(Sessions.afterExtendedHandshake(), input);
    }

    @FuzzTest(maxDuration = "10m")
    void baseChaChaRecordsDeliverOnlyWhatTheHonestPeerSealedInOrder(byte[] input) throws IOException {
        deliversOnlyWhatWasSealed(Sessions.afterBaseHandshake(), input);
    }

    private static void deliversOnlyWhatWasSealed(Sessions sessions, byte[] input) {
        RecordSession server = sessions.server();
        int next = 0;
        boolean dead = false;
        for (Record record : records(input)) {
            byte[] frame = record.frameAgainst(next < sessions.honest().size() ? sessions.honest().get(next).frame() : null);
            if (frame == null) {
                continue;
            }
            Message delivered;
            try {
                delivered = server.open(frame);
            } catch (SecureChannelException refused) {
                if (!dead) {
                    assertThat(refused.reason()).as(refused.getMessage()).isNotEqualTo(FailureReason.INTERNAL_ERROR);
                }
                assertThat(server.isOpen()).as("a refused frame ends the session").isFalse();
                dead = true;
                continue;
            }
            assertThat(dead).as("a session that refused a frame delivers nothing more").isFalse();
            assertThat(next).as("every frame the client sealed was already delivered").isLessThan(sessions.honest().size());
            Sealed expected = sessions.honest().get(next);
            assertThat(frame).as("only the next frame the peer sealed is accepted").isEqualTo(expected.frame());
            assertThat(delivered).isEqualTo(expected.message());
            next++;
            if (delivered instanceof Message.Shutdown) {
                dead = true;
            }
        }
    }

    /** A frame the client sealed and what the server must make of it (null: consumed by the record layer). */
    private record Sealed(byte[] frame, Message message) {
    }

    private record Sessions(RecordSession server, List<Sealed> honest) {

        /**
         * Runs the {@code kat-v4-ext-1} handshake (both parties on the defaults: AES-256-GCM and
         * key update), then has the client seal the vector's traffic: data, a tensor, a key update
         * that asks the server to update too, data under the new key, and a shutdown; each frame
         * is byte-equal to the vector's.
         */
        static Sessions afterExtendedHandshake() throws IOException {
            return afterKnownAnswerHandshake(EXTENDED_KAT, HandshakeFixtures.extended(), Extensions.AES_256_GCM | Extensions.KEY_UPDATE,
                    client -> {
                        List<Message> sent = sendDataAndTensor(EXTENDED_KAT, client);
                        // Requesting the peer's update, as the vector does: with the same keys its KeyUpdate frame is byte-equal.
                        client.updateKey(true);
                        sent.add(null);
                        byte[] data = hex(EXTENDED_KAT, "data_plaintext");
                        client.send(data);
                        sent.add(new Message.Data(data));
                        client.shutdown();
                        sent.add(new Message.Shutdown());
                        return sent;
                    },
                    "frame_initiator_data_seq0", "frame_initiator_tensor_seq1", "frame_initiator_key_update_seq2",
                    "frame_initiator_data_after_update_seq0", "frame_initiator_shutdown_after_update_seq1");
        }

        /**
         * Runs the {@code kat-v4-1} handshake (a base-only initiator and a responder on the
         * defaults, which settle on base version 4: ChaCha20-Poly1305 and no key update), then
         * has the client seal the vector's traffic: data, a tensor and a shutdown, each frame
         * byte-equal to the vector's.
         */
        static Sessions afterBaseHandshake() throws IOException {
            return afterKnownAnswerHandshake(BASE_KAT, HandshakeFixtures.development(), 0,
                    client -> {
                        List<Message> sent = sendDataAndTensor(BASE_KAT, client);
                        client.shutdown();
                        sent.add(new Message.Shutdown());
                        return sent;
                    },
                    "frame_initiator_data_seq0", "frame_initiator_tensor_seq1", "frame_initiator_shutdown_seq2");
        }

        private static Sessions afterKnownAnswerHandshake(JsonNode kat, SessionConfig initiatorConfig, int expectedExtensions,
                                                          ClientTraffic traffic, String... vectorFrames) throws IOException {
            JsonNode inputs = kat.get("inputs");
            X25519KeyPair initiatorKeys = X25519KeyPair.fromPrivateKey(hex(inputs, "initiator_x25519_private"));
            X25519KeyPair responderKeys = X25519KeyPair.fromPrivateKey(hex(inputs, "responder_x25519_private"));
            HandshakeInitiator initiator = HandshakeFixtures.initiator(initiatorConfig, initiatorKeys,
                    hex(inputs, "initiator_nonce"));
            HandshakeResponder responder = HandshakeFixtures.responder(HandshakeFixtures.extended(), responderKeys,
                    hex(inputs, "responder_nonce"));
            HandshakeFixtures.Completed completed = HandshakeFixtures.complete(initiator, responder);
            assertThat(completed.responder().extensions()).isEqualTo(new Extensions(expectedExtensions));

            List<byte[]> sealed = new ArrayList<>();
            RecordSession client = new RecordSession(completed.initiator(), sealed::add, () -> 0L);
            RecordSession server = new RecordSession(completed.responder(), frame -> { }, () -> 0L);
            List<Message> sent = traffic.send(client);

            assertThat(sealed).hasSameSizeAs(sent).hasSameSizeAs(vectorFrames);
            List<Sealed> honest = new ArrayList<>();
            for (int i = 0; i < sealed.size(); i++) {
                assertThat(sealed.get(i)).isEqualTo(hex(kat, vectorFrames[i]));
                assertThat(sealed.get(i)[3] == FrameType.KEY_UPDATE.code()).isEqualTo(sent.get(i) == null);
                honest.add(new Sealed(sealed.get(i), sent.get(i)));
            }
            return new Sessions(server, honest);
        }

        /** Seals the vector's data and tensor, the first two frames of every vector's client traffic. */
        private static List<Message> sendDataAndTensor(JsonNode kat, RecordSession client) throws IOException {
            List<Message> sent = new ArrayList<>();
            byte[] data = hex(kat, "data_plaintext");
            client.send(data);
            sent.add(new Message.Data(data));
            var tensor = TensorCodec.decode(hex(kat, "tensor_plaintext"));
            client.sendTensor(tensor);
            sent.add(new Message.TensorMessage(tensor));
            return sent;
        }
    }

    /** What the client seals after the handshake; a null message stands for a frame the record layer consumes. */
    private interface ClientTraffic {
        List<Message> send(RecordSession client) throws IOException;
    }

    private record Record(int control, byte[] bytes) {

        byte[] frameAgainst(byte[] nextHonest) {
            if (control == 0) {
                return bytes;
            }
            if (nextHonest == null) {
                return null;
            }
            byte[] frame = nextHonest.clone();
            if (control == 2) {
                for (int i = 0; i < Math.min(bytes.length, frame.length); i++) {
                    frame[i] ^= bytes[i];
                }
            }
            return frame;
        }
    }

    private static List<Record> records(byte[] input) {
        ByteBuffer in = ByteBuffer.wrap(input);
        List<Record> records = new ArrayList<>();
        while (in.remaining() >= 3) {
            int control = (in.get() & 0xFF) % 3;
            int length = Math.min(Short.toUnsignedInt(in.getShort()), in.remaining());
            byte[] bytes = new byte[length];
            in.get(bytes);
            records.add(new Record(control, bytes));
        }
        return records;
    }

    private static byte[] hex(JsonNode node, String field) {
        return HEX.parseHex(node.get(field).asString());
    }
}
