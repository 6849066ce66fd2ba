package dev.securechannel.session;

import static dev.securechannel.testing.SharedFiles.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.crypto.CryptoBackendChoice;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.KeyUpdatePolicy;
import dev.securechannel.internal.crypto.CryptoBackend;
import dev.securechannel.internal.crypto.CryptoBackends;
import dev.securechannel.internal.crypto.Hkdf;
import dev.securechannel.internal.protocol.TensorCodec;
import dev.securechannel.testing.SharedFiles;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The key update half of {@code vectors/protocol/kat-v4-ext-1.json} (PROTOCOL.md sections 8.2
 * and 8.3, AES-256-GCM with key update), reproduced byte for byte by two real sessions: the
 * initiator's KeyUpdate 0x01 after two frames, the responder's automatic answer 0x00, a frame
 * each way under the next keys, and the initiator's Shutdown under its next key.
 */
class KeyUpdateKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();

    static List<CryptoBackendChoice> backends() {
        return CryptoBackends.loadable();
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("backends")
    void reproducesTheKeyUpdateFramesAndNextKeys(CryptoBackendChoice choice) throws Exception {
        CryptoBackend backend = CryptoBackends.select(choice);
        JsonNode kat = SharedFiles.json("vectors/protocol/kat-v4-ext-1.json");
        assertThat(kat.get("extensions").get("accepted").asString()).isEqualTo("30");
        byte[] i2r = hex(kat.get("key_initiator_to_responder").asString());
        byte[] r2i = hex(kat.get("key_responder_to_initiator").asString());
        byte[] sessionId = hex(kat.get("session_id").asString());
        byte[] data = hex(kat.get("data_plaintext").asString());
        byte[] info = "cmt-key-update".getBytes(StandardCharsets.US_ASCII);
        assertThat(HEX.formatHex(Hkdf.expand(backend, i2r, info, 32))).isEqualTo(kat.get("key_initiator_to_responder_1").asString());
        assertThat(HEX.formatHex(Hkdf.expand(backend, r2i, info, 32))).isEqualTo(kat.get("key_responder_to_initiator_1").asString());

        KeyedSessionPair pair = new KeyedSessionPair(backend, new Extensions(0x30), i2r, r2i, sessionId, KeyUpdatePolicy.DEFAULT);
        pair.client.send(data);
        pair.client.sendTensor(TensorCodec.decode(hex(kat.get("tensor_plaintext").asString())));
        pair.server.send(data);
        pair.client.updateKey(true);
        pair.client.send(data);

        assertThat(field(pair.fromClient.get(0))).isEqualTo(kat.get("frame_initiator_data_seq0").asString());
        assertThat(field(pair.fromClient.get(1))).isEqualTo(kat.get("frame_initiator_tensor_seq1").asString());
        assertThat(field(pair.fromClient.get(2))).isEqualTo(kat.get("frame_initiator_key_update_seq2").asString());
        assertThat(field(pair.fromClient.get(3))).isEqualTo(kat.get("frame_initiator_data_after_update_seq0").asString());
        assertThat(field(pair.fromServer.get(0))).isEqualTo(kat.get("frame_responder_data_seq0").asString());

        List<Message> atServer = pair.deliverToServer(0);
        assertThat(atServer).hasSize(3);
        assertThat(((Message.Data) atServer.get(2)).payload()).isEqualTo(data);
        // The server answered the client's request at once, before anything else it sends.
        assertThat(pair.fromServer).hasSize(2);
        assertThat(field(pair.fromServer.get(1))).isEqualTo(kat.get("frame_responder_key_update_seq1").asString());
        pair.server.send(data);
        assertThat(field(pair.fromServer.get(2))).isEqualTo(kat.get("frame_responder_data_after_update_seq0").asString());

        assertThat(pair.deliverToClient(0)).containsExactly(new Message.Data(data), new Message.Data(data));
        pair.client.shutdown();
        assertThat(field(pair.fromClient.get(4))).isEqualTo(kat.get("frame_initiator_shutdown_after_update_seq1").asString());
        assertThat(pair.server.open(pair.fromClient.get(4))).isInstanceOf(Message.Shutdown.class);
        assertThat(pair.client.keyUpdatesSent()).isEqualTo(1);
        assertThat(pair.server.keyUpdatesReceived()).isEqualTo(1);
        assertThat(pair.server.keyUpdatesSent()).isEqualTo(1);
        assertThat(pair.client.keyUpdatesReceived()).isEqualTo(1);
    }

    private static String field(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
