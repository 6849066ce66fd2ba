package dev.securechannel.internal.handshake;

import static dev.securechannel.testing.SharedFiles.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.crypto.CryptoBackendChoice;
import dev.securechannel.handshake.ExtensionMode;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.CryptoBackend;
import dev.securechannel.internal.crypto.CryptoBackends;
import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.crypto.Transcript;
import dev.securechannel.internal.crypto.X25519KeyPair;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.session.Message;
import dev.securechannel.testing.SharedFiles;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Reproduces every field of {@code vectors/protocol/kat-v4-*.json} from its {@code inputs}:
 * keys, documents, the three hello frames with their flags, transcript, shared secret, keys,
 * session id, and the sealed Data, Tensor and Shutdown frames byte for byte (CONFORMANCE N19,
 * S1-S3). Both sides run the real state machines with the configurations each vector
 * describes; only the ephemeral keys and nonces are fixed.
 *
 * <p>The key-update fields of {@code kat-v4-ext-1} ({@code key_*_1}, {@code *key_update*},
 * {@code *after_update*}) are the record layer's and are checked with it.
 */
class ProtocolKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();

    /** The configurations the vectors' parties run, each built on the backend under test. */
    enum Party {
        /** Offers and accepts nothing: base version 4, as the reference crate. */
        BASE,
        /** The defaults: AES-256-GCM and key update offered and accepted. */
        DEFAULT,
        /** AES-256-GCM without key update. */
        WITHOUT_KEY_UPDATE;

        SessionConfig config(CryptoBackendChoice backend) {
            SessionConfig.Builder builder = HandshakeFixtures.developmentBuilder().cryptoBackend(backend);
            switch (this) {
                case BASE -> builder.baseProtocolOnly();
                case WITHOUT_KEY_UPDATE -> builder.keyUpdate(ExtensionMode.OFF);
                default -> { }
            }
            return builder.build();
        }
    }

    /**
     * The vectors with the parties that produce them, on every crypto backend that loads here.
     *
     * @return file, initiator, responder, expected extensions, backend
     */
    static Stream<Arguments> vectors() {
        return Stream.of(
                // S3: a reference-style initiator offers nothing, so a default responder answers with base version 4.
                Arguments.of("vectors/protocol/kat-v4-1.json", Party.BASE, Party.DEFAULT, Extensions.NONE),
                Arguments.of("vectors/protocol/kat-v4-2.json", Party.BASE, Party.BASE, Extensions.NONE),
                // S1: default peers negotiate AES-256-GCM and key update.
                Arguments.of("vectors/protocol/kat-v4-ext-1.json", Party.DEFAULT, Party.DEFAULT,
                        new Extensions(Extensions.AES_256_GCM | Extensions.KEY_UPDATE)),
                // S2: the responder accepts AES-256-GCM only.
                Arguments.of("vectors/protocol/kat-v4-ext-2.json", Party.DEFAULT, Party.WITHOUT_KEY_UPDATE,
                        new Extensions(Extensions.AES_256_GCM)))
                .flatMap(vector -> CryptoBackends.loadable().stream().map(choice -> {
                    Object[] values = vector.get();
                    return Arguments.of(values[0], values[1], values[2], values[3], choice);
                }));
    }

    @ParameterizedTest(name = "{0} ({3}) on {4}")
    @MethodSource("vectors")
    void reproducesEveryFieldFromTheInputs(String file, Party initiatorParty, Party responderParty,
                                           Extensions expectedExtensions, CryptoBackendChoice choice) throws Exception {
        SessionConfig initiatorConfig = initiatorParty.config(choice);
        SessionConfig responderConfig = responderParty.config(choice);
        CryptoBackend backend = SessionConfigInternals.cryptoBackend(initiatorConfig);
        assertThat(backend.name()).isEqualTo(choice.settingValue());
        JsonNode kat = SharedFiles.json(file);
        JsonNode inputs = kat.get("inputs");
        JsonNode extensions = kat.get("extensions");
        int offered = extensions == null ? 0 : Integer.parseInt(extensions.get("offered").asString(), 16);
        int accepted = extensions == null ? 0 : Integer.parseInt(extensions.get("accepted").asString(), 16);
        assertThat(new Extensions(accepted)).isEqualTo(expectedExtensions);
        assertThat(kat.get("protocol_version").asInt()).isEqualTo(FrameCodec.PROTOCOL_VERSION);

        X25519KeyPair initiatorKeys = X25519KeyPair.fromPrivateKey(backend, hex(inputs.get("initiator_x25519_private").asString()));
        X25519KeyPair responderKeys = X25519KeyPair.fromPrivateKey(backend, hex(inputs.get("responder_x25519_private").asString()));
        byte[] initiatorNonce = hex(inputs.get("initiator_nonce").asString());
        byte[] responderNonce = hex(inputs.get("responder_nonce").asString());
        assertThat(field(initiatorKeys.publicKey())).isEqualTo(kat.get("initiator_public").asString());
        assertThat(field(responderKeys.publicKey())).isEqualTo(kat.get("responder_public").asString());

        byte[] initiatorDocument = InsecureMockAttestation.encode(null, initiatorNonce, initiatorKeys.publicKey());
        byte[] responderDocument = InsecureMockAttestation.encode(null, responderNonce, responderKeys.publicKey());
        assertThat(field(initiatorDocument)).isEqualTo(kat.get("initiator_attestation_doc").asString());
        assertThat(field(responderDocument)).isEqualTo(kat.get("responder_attestation_doc").asString());

        byte[] transcript = Transcript.hash(backend, backend.sha256().digest(initiatorDocument),
                backend.sha256().digest(responderDocument), initiatorKeys.publicKey(), responderKeys.publicKey(),
                initiatorNonce, responderNonce, 4, offered, accepted);
        assertThat(field(transcript)).isEqualTo(kat.get("transcript_hash").asString());
        byte[] shared = initiatorKeys.agree(responderKeys.publicKey());
        assertThat(field(shared)).isEqualTo(kat.get("shared_secret").asString());
        SessionKeys keys = SessionKeys.derive(backend, shared, transcript);
        assertThat(field(keys.initiatorToResponder())).isEqualTo(kat.get("key_initiator_to_responder").asString());
        assertThat(field(keys.responderToInitiator())).isEqualTo(kat.get("key_responder_to_initiator").asString());
        assertThat(field(keys.sessionId())).isEqualTo(kat.get("session_id").asString());

        HandshakeInitiator initiator = new HandshakeInitiator(initiatorConfig, initiatorKeys, initiatorNonce);
        HandshakeResponder responder = new HandshakeResponder(responderConfig, responderKeys, responderNonce);

        byte[] initiatorHello = initiator.start();
        assertThat(field(initiatorHello)).isEqualTo(kat.get("frame_initiator_hello").asString());
        assertThat(responder.start()).isNull();
        HandshakeStep responderStep = responder.onFrame(initiatorHello);
        assertThat(field(responderStep.reply())).isEqualTo(kat.get("frame_responder_hello").asString());
        assertThat(WireFrames.flags(initiatorHello)).isEqualTo(offered);
        assertThat(WireFrames.flags(responderStep.reply())).isEqualTo(accepted);
        responder.replySent();
        HandshakeStep initiatorStep = initiator.onFrame(responderStep.reply());
        assertThat(field(initiatorStep.reply())).isEqualTo(kat.get("frame_confirmation").asString());
        HandshakeStep confirmed = responder.onFrame(initiatorStep.reply());
        assertThat(confirmed.reply()).isNull();
        assertThat(field(initiatorStep.result().sessionId())).isEqualTo(kat.get("session_id").asString());
        assertThat(field(confirmed.result().sessionId())).isEqualTo(kat.get("session_id").asString());
        assertThat(initiatorStep.result().extensions()).isEqualTo(expectedExtensions);
        assertThat(confirmed.result().extensions()).isEqualTo(expectedExtensions);

        List<byte[]> fromInitiator = new ArrayList<>();
        List<byte[]> fromResponder = new ArrayList<>();
        RecordSession client = new RecordSession(initiatorStep.result(), fromInitiator::add);
        RecordSession server = new RecordSession(confirmed.result(), fromResponder::add);

        byte[] data = hex(kat.get("data_plaintext").asString());
        client.send(data);
        client.sendTensor(TensorCodec.decode(hex(kat.get("tensor_plaintext").asString())));
        server.send(data);
        // ext-1 updates its key at sequence 2 instead; its Shutdown is the record layer's to check.
        boolean hasShutdown = kat.has("frame_initiator_shutdown_seq2");
        if (hasShutdown) {
            client.shutdown();
        }

        assertThat(field(fromInitiator.get(0))).isEqualTo(kat.get("frame_initiator_data_seq0").asString());
        assertThat(field(fromInitiator.get(1))).isEqualTo(kat.get("frame_initiator_tensor_seq1").asString());
        assertThat(field(fromResponder.get(0))).isEqualTo(kat.get("frame_responder_data_seq0").asString());
        if (hasShutdown) {
            assertThat(field(fromInitiator.get(2))).isEqualTo(kat.get("frame_initiator_shutdown_seq2").asString());
        }

        assertThat(((Message.Data) server.open(fromInitiator.get(0))).payload()).isEqualTo(data);
        Message.TensorMessage tensor = (Message.TensorMessage) server.open(fromInitiator.get(1));
        assertThat(field(TensorCodec.encode(tensor.tensor()))).isEqualTo(kat.get("tensor_plaintext").asString());
        if (hasShutdown) {
            assertThat(server.open(fromInitiator.get(2))).isInstanceOf(Message.Shutdown.class);
        }
        assertThat(((Message.Data) client.open(fromResponder.get(0))).payload()).isEqualTo(data);
    }

    private static String field(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
