package dev.securechannel.internal.crypto;

import static dev.securechannel.testing.SharedFiles.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.securechannel.crypto.CryptoBackendChoice;
import dev.securechannel.internal.protocol.FrameCodec;
import dev.securechannel.testing.SharedFiles;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The key schedule of session resumption (PROTOCOL.md 8.4) against {@code kat-v4-ext-3}'s
 * {@code resumption} object, field for field, on every crypto backend that loads here: the
 * resumption master of the full handshake, the ticket's psk and binder key, both binders of the
 * resumed hellos as the vector sent them, the resumed transcript, and the resumed session's keys,
 * session id, confirmation and next resumption master.
 */
class ResumptionKnownAnswerTest {

    private static final String VECTOR = "vectors/protocol/kat-v4-ext-3.json";
    /** A hello payload: kind (1), X25519 public key (32), nonce (32), then what the kind carries. */
    private static final int KEY_AT = 1;
    private static final int NONCE_AT = 33;
    private static final int TICKET_LENGTH_AT = 65;

    static List<CryptoBackendChoice> backends() {
        return CryptoBackends.loadable();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theFullHandshakeYieldsTheVectorsResumptionMasterAndTheTicketItsPsk(CryptoBackendChoice choice) {
        CryptoBackend backend = CryptoBackends.select(choice);
        JsonNode kat = SharedFiles.json(VECTOR);
        JsonNode resumption = kat.get("resumption");

        SessionKeys full = SessionKeys.derive(backend, hex(kat.get("shared_secret").asText()), hex(kat.get("transcript_hash").asText()), true);
        assertThat(full.initiatorToResponder()).isEqualTo(hex(kat.get("key_initiator_to_responder").asText()));
        assertThat(full.resumptionMaster()).isEqualTo(hex(resumption.get("resumption_master").asText()));

        byte[] ticketNonce = Arrays.copyOf(hex(resumption.get("new_ticket_plaintext").asText()), 8);
        byte[] psk = Resumption.psk(backend, full.resumptionMaster(), ticketNonce);
        assertThat(psk).isEqualTo(hex(resumption.get("psk").asText()));
        assertThat(Resumption.binderKey(backend, psk)).isEqualTo(hex(resumption.get("binder_key").asText()));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theResumedHandshakeReproducesTheVectorsBindersTranscriptAndKeys(CryptoBackendChoice choice) {
        CryptoBackend backend = CryptoBackends.select(choice);
        JsonNode resumption = SharedFiles.json(VECTOR).get("resumption");
        byte[] binderKey = hex(resumption.get("binder_key").asText());
        byte[] initiatorFrame = hex(resumption.get("frame_initiator_hello").asText());
        byte[] responderFrame = hex(resumption.get("frame_responder_hello").asText());
        byte[] initiatorHello = payload(initiatorFrame);
        byte[] responderHello = payload(responderFrame);
        assertThat(initiatorHello[0]).as("resumption hello kind").isEqualTo((byte) 0x04);
        assertThat(responderHello[0]).as("resumption answer kind").isEqualTo((byte) 0x05);

        assertThat(Resumption.initiatorBinder(backend, binderKey, withoutBinder(initiatorHello))).isEqualTo(binder(initiatorHello));
        assertThat(Resumption.responderBinder(backend, binderKey, initiatorHello, withoutBinder(responderHello)))
                .isEqualTo(binder(responderHello));
        assertThat(Resumption.binderMatches(binder(initiatorHello), binder(responderHello))).isFalse();

        int ticketLength = ((initiatorHello[TICKET_LENGTH_AT] & 0xFF) << 8) | (initiatorHello[TICKET_LENGTH_AT + 1] & 0xFF);
        byte[] ticket = Arrays.copyOfRange(initiatorHello, TICKET_LENGTH_AT + 2, TICKET_LENGTH_AT + 2 + ticketLength);
        assertThat(TICKET_LENGTH_AT + 2 + ticketLength + Resumption.LENGTH).isEqualTo(initiatorHello.length);
        byte[] transcript = Transcript.resumedHash(backend, ticket, field(initiatorHello, KEY_AT), field(responderHello, KEY_AT),
                field(initiatorHello, NONCE_AT), field(responderHello, NONCE_AT), 4, flags(initiatorFrame) & 0xF0, flags(responderFrame) & 0xF0);
        assertThat(transcript).isEqualTo(hex(resumption.get("transcript_hash").asText()));

        byte[] psk = hex(resumption.get("psk").asText());
        byte[] shared = hex(resumption.get("shared_secret").asText());
        SessionKeys resumed = SessionKeys.derive(backend, Resumption.inputKeyMaterial(psk, shared), transcript, true);
        assertThat(resumed.initiatorToResponder()).isEqualTo(hex(resumption.get("key_initiator_to_responder").asText()));
        assertThat(resumed.responderToInitiator()).isEqualTo(hex(resumption.get("key_responder_to_initiator").asText()));
        assertThat(resumed.sessionId()).isEqualTo(hex(resumption.get("session_id").asText()));
        byte[] confirmation = Arrays.copyOfRange(payload(hex(resumption.get("frame_confirmation").asText())), 1, 1 + 32);
        assertThat(resumed.confirms(confirmation)).isTrue();
        assertThat(resumed.resumptionMaster()).isEqualTo(hex(resumption.get("resumption_master_next").asText()));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void keysDerivedWithoutResumptionHaveNoResumptionMasterAndDestroyWipesIt(CryptoBackendChoice choice) {
        CryptoBackend backend = CryptoBackends.select(choice);
        JsonNode kat = SharedFiles.json(VECTOR);
        byte[] shared = hex(kat.get("shared_secret").asText());
        byte[] transcript = hex(kat.get("transcript_hash").asText());

        assertThatThrownBy(() -> SessionKeys.derive(backend, shared, transcript).resumptionMaster())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not negotiated");
        SessionKeys keys = SessionKeys.derive(backend, shared, transcript, true);
        keys.destroy();
        assertThatThrownBy(keys::resumptionMaster).isInstanceOf(IllegalStateException.class).hasMessageContaining("destroyed");
    }

    private static byte[] payload(byte[] frame) {
        return Arrays.copyOfRange(frame, FrameCodec.HEADER_LENGTH, frame.length);
    }

    /** The header's flags byte: magic (2), version (1), type (1), flags. */
    private static int flags(byte[] frame) {
        return frame[4] & 0xFF;
    }

    private static byte[] field(byte[] hello, int at) {
        return Arrays.copyOfRange(hello, at, at + 32);
    }

    private static byte[] binder(byte[] hello) {
        return Arrays.copyOfRange(hello, hello.length - Resumption.LENGTH, hello.length);
    }

    private static byte[] withoutBinder(byte[] hello) {
        return Arrays.copyOf(hello, hello.length - Resumption.LENGTH);
    }
}
