package dev.securechannel.handshake;

import static dev.securechannel.testing.SharedFiles.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.crypto.CryptoBackend;
import dev.securechannel.crypto.CryptoBackendChoice;
import dev.securechannel.crypto.CryptoBackends;
import dev.securechannel.crypto.SessionKeys;
import dev.securechannel.crypto.Transcript;
import dev.securechannel.crypto.X25519KeyPair;
import dev.securechannel.protocol.FrameCodec;
import dev.securechannel.protocol.TensorCodec;
import dev.securechannel.session.Message;
import dev.securechannel.session.SecureSession;
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
 * keys, documents, the three hello frames, transcript, shared secret, keys, session id, and
 * the sealed Data, Tensor and Shutdown frames byte for byte (CONFORMANCE N19). Both sides run
 * the real state machines; only the ephemeral keys and nonces are fixed. Every vector runs
 * on every crypto backend that loads here, pinned through {@link SessionConfig.Builder#cryptoBackend}.
 */
class ProtocolKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> vectorsOnEveryBackend() {
        return Stream.of("vectors/protocol/kat-v4-1.json", "vectors/protocol/kat-v4-2.json")
                .flatMap(file -> CryptoBackends.loadable().stream().map(choice -> Arguments.of(file, choice)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("vectorsOnEveryBackend")
    void reproducesEveryFieldFromTheInputs(String file, CryptoBackendChoice choice) throws Exception {
        SessionConfig config = SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier())
                .cryptoBackend(choice)
                .build();
        CryptoBackend backend = config.cryptoBackend();
        assertThat(backend.name()).isEqualTo(choice.settingValue());
        JsonNode kat = SharedFiles.json(file);
        JsonNode inputs = kat.get("inputs");
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

        byte[] initiatorDocumentHash = backend.sha256().digest(initiatorDocument);
        byte[] responderDocumentHash = backend.sha256().digest(responderDocument);
        byte[] transcript = Transcript.hash(backend, initiatorDocumentHash, responderDocumentHash,
                initiatorKeys.publicKey(), responderKeys.publicKey(), initiatorNonce, responderNonce, 4);
        assertThat(field(transcript)).isEqualTo(kat.get("transcript_hash").asString());
        byte[] shared = initiatorKeys.agree(responderKeys.publicKey());
        assertThat(field(shared)).isEqualTo(kat.get("shared_secret").asString());
        SessionKeys keys = SessionKeys.derive(backend, shared, transcript);
        assertThat(field(keys.initiatorToResponder())).isEqualTo(kat.get("key_initiator_to_responder").asString());
        assertThat(field(keys.responderToInitiator())).isEqualTo(kat.get("key_responder_to_initiator").asString());
        assertThat(field(keys.sessionId())).isEqualTo(kat.get("session_id").asString());

        HandshakeInitiator initiator = new HandshakeInitiator(config, initiatorKeys, initiatorNonce);
        HandshakeResponder responder = new HandshakeResponder(config, responderKeys, responderNonce);

        byte[] initiatorHello = initiator.start();
        assertThat(field(initiatorHello)).isEqualTo(kat.get("frame_initiator_hello").asString());
        assertThat(responder.start()).isNull();
        HandshakeStep responderStep = responder.onFrame(initiatorHello);
        assertThat(field(responderStep.reply())).isEqualTo(kat.get("frame_responder_hello").asString());
        HandshakeStep initiatorStep = initiator.onFrame(responderStep.reply());
        assertThat(field(initiatorStep.reply())).isEqualTo(kat.get("frame_confirmation").asString());
        HandshakeStep confirmed = responder.onFrame(initiatorStep.reply());
        assertThat(confirmed.reply()).isNull();
        assertThat(field(initiatorStep.result().sessionId())).isEqualTo(kat.get("session_id").asString());
        assertThat(field(confirmed.result().sessionId())).isEqualTo(kat.get("session_id").asString());

        List<byte[]> fromInitiator = new ArrayList<>();
        List<byte[]> fromResponder = new ArrayList<>();
        SecureSession client = new SecureSession(initiatorStep.result(), fromInitiator::add);
        SecureSession server = new SecureSession(confirmed.result(), fromResponder::add);

        byte[] data = hex(kat.get("data_plaintext").asString());
        client.send(data);
        client.sendTensor(TensorCodec.decode(hex(kat.get("tensor_plaintext").asString())));
        server.send(data);
        client.shutdown();

        assertThat(field(fromInitiator.get(0))).isEqualTo(kat.get("frame_initiator_data_seq0").asString());
        assertThat(field(fromInitiator.get(1))).isEqualTo(kat.get("frame_initiator_tensor_seq1").asString());
        assertThat(field(fromResponder.get(0))).isEqualTo(kat.get("frame_responder_data_seq0").asString());
        assertThat(field(fromInitiator.get(2))).isEqualTo(kat.get("frame_initiator_shutdown_seq2").asString());

        assertThat(((Message.Data) server.open(fromInitiator.get(0))).payload()).isEqualTo(data);
        Message.TensorMessage tensor = (Message.TensorMessage) server.open(fromInitiator.get(1));
        assertThat(field(TensorCodec.encode(tensor.tensor()))).isEqualTo(kat.get("tensor_plaintext").asString());
        assertThat(server.open(fromInitiator.get(2))).isInstanceOf(Message.Shutdown.class);
        assertThat(((Message.Data) client.open(fromResponder.get(0))).payload()).isEqualTo(data);
    }

    private static String field(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
