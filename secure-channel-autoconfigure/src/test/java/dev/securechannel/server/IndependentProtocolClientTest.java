package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A second, independent client written from {@code docs/PROTOCOL.md} alone, with nothing
 * from this project but the test server: X25519 from the JDK ({@code KeyPairGenerator("X25519")},
 * {@code KeyAgreement("XDH")}), the MOCK_ATT_V1 document, the transcript, HKDF on
 * {@code javax.crypto.Mac}, ChaCha20-Poly1305 from {@code javax.crypto.Cipher}, and the frame
 * layout. It completes the handshake with the endpoint on Tomcat and on Reactor Netty,
 * exchanges Data frames with the echo handler, and ends with a Shutdown, which the server
 * answers with close code 1000. Its primitives are first pinned to the known-answer vectors
 * {@code testdata/vectors/protocol/kat-v4-*.json}, so a disagreement is located in the
 * specification, not in this client.
 *
 * <p>CONFORMANCE cases: C1 (happy path, 3 hellos with sequences 0/0/1, then data both ways),
 * C17 and C18 (transcript and session id computed independently), C19 (keys in both
 * directions), E7 (sequences 0, 1, 2 per direction), E10 (Shutdown sealed), F3 (Shutdown: close
 * 1000), N19 (byte-exact known answers, reproduced here a second time from the specification).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IndependentProtocolClientTest {

    @Nested
    @ServerContexts.DefaultServlet
    class Tomcat extends Conversation {
    }

    @Nested
    @ServerContexts.DefaultReactorNetty
    class ReactorNetty extends Conversation {
    }

    abstract static class Conversation {

        @LocalServerPort
        int port;

        @Test
        void completesTheHandshakeGetsDataEchoedAndShutsDownWith1000() throws Exception {
            try (Peer peer = Peer.connect(URI.create("ws://127.0.0.1:" + port + "/secure-channel"))) {
                assertThat(peer.webSocket.getSubprotocol()).isEqualTo("cmt.v4");

                // Hello 1: fresh X25519 key and nonce, and a mock document binding both.
                KeyPair ephemeral = KeyPairGenerator.getInstance("X25519").generateKeyPair();
                byte[] publicKey = X25519.rawPublicKey(ephemeral.getPublic());
                byte[] nonce = new byte[32];
                new SecureRandom().nextBytes(nonce);
                byte[] document = MockDocument.encode(nonce, publicKey);
                peer.send(Wire.frame(Wire.HELLO, 0, 0, Wire.helloPayload(1, publicKey, nonce, document)));

                // Hello 2: base version 4 (flags 0, PROTOCOL.md 8.1: nothing was offered), and the
                // responder's document is bound to its key and nonce.
                byte[] helloTwo = peer.receive();
                assertThat(helloTwo[4]).as("hello 2 flags").isZero();
                Hello responder = Hello.parse(helloTwo, 2);
                MockDocument responderDocument = MockDocument.parse(responder.document());
                assertThat(responderDocument.publicKey()).isEqualTo(responder.publicKey());
                assertThat(responderDocument.nonce()).isEqualTo(responder.nonce());

                // Key schedule, then hello 3: the confirmation, with sequence 1.
                byte[] shared = X25519.agree(ephemeral.getPrivate(), responder.publicKey());
                byte[] transcript = KeySchedule.transcript(document, responder.document(), publicKey, responder.publicKey(),
                        nonce, responder.nonce());
                KeySchedule keys = KeySchedule.derive(shared, transcript);
                peer.send(Wire.frame(Wire.HELLO, 0, 1, concat(new byte[] {3}, keys.confirmation())));

                // Two Data frames, sequences 0 and 1, each echoed with the server's own sequences 0 and 1.
                for (int sequence = 0; sequence < 2; sequence++) {
                    byte[] plaintext = ("written from PROTOCOL.md alone #" + sequence).getBytes(StandardCharsets.UTF_8);
                    peer.send(Record.seal(keys.initiatorToResponder(), keys.sessionId(), Wire.DATA, sequence, plaintext));
                    byte[] echo = peer.receive();
                    assertThat(Arrays.copyOfRange(echo, 0, 9)).as("echo header up to the sequence")
                            .isEqualTo(Arrays.copyOfRange(Wire.frame(Wire.DATA, Wire.ENCRYPTED, sequence, new byte[0]), 0, 9));
                    assertThat(Record.open(keys.responderToInitiator(), keys.sessionId(), echo)).isEqualTo(plaintext);
                }

                // Shutdown: sealed, empty plaintext, sequence 2; the server closes with 1000.
                peer.send(Record.seal(keys.initiatorToResponder(), keys.sessionId(), Wire.SHUTDOWN, 2, new byte[0]));
                assertThat(peer.closeCode()).isEqualTo(1000);
            }
        }
    }

    /** The client's primitives reproduce every field of the known-answer vectors from their inputs. */
    @Nested
    class KnownAnswers {

        @ParameterizedTest
        @ValueSource(strings = {"kat-v4-1.json", "kat-v4-2.json"})
        void theIndependentPrimitivesReproduceTheKnownAnswerVectors(String file) throws Exception {
            Map<String, byte[]> kat = readVector(file);
            byte[] initiatorPublic = X25519.publicKeyOf(kat.get("initiator_x25519_private"));
            byte[] responderPublic = X25519.publicKeyOf(kat.get("responder_x25519_private"));
            assertThat(initiatorPublic).isEqualTo(kat.get("initiator_public"));
            assertThat(responderPublic).isEqualTo(kat.get("responder_public"));

            byte[] initiatorNonce = kat.get("initiator_nonce");
            byte[] responderNonce = kat.get("responder_nonce");
            byte[] initiatorDocument = MockDocument.encode(initiatorNonce, initiatorPublic);
            byte[] responderDocument = MockDocument.encode(responderNonce, responderPublic);
            assertThat(initiatorDocument).isEqualTo(kat.get("initiator_attestation_doc"));
            assertThat(responderDocument).isEqualTo(kat.get("responder_attestation_doc"));
            assertThat(Wire.frame(Wire.HELLO, 0, 0, Wire.helloPayload(1, initiatorPublic, initiatorNonce, initiatorDocument)))
                    .isEqualTo(kat.get("frame_initiator_hello"));
            assertThat(Wire.frame(Wire.HELLO, 0, 0, Wire.helloPayload(2, responderPublic, responderNonce, responderDocument)))
                    .isEqualTo(kat.get("frame_responder_hello"));

            byte[] shared = X25519.agree(X25519.privateKeyOf(kat.get("initiator_x25519_private")), responderPublic);
            assertThat(shared).isEqualTo(kat.get("shared_secret"))
                    .isEqualTo(X25519.agree(X25519.privateKeyOf(kat.get("responder_x25519_private")), initiatorPublic));
            byte[] transcript = KeySchedule.transcript(initiatorDocument, responderDocument, initiatorPublic, responderPublic,
                    initiatorNonce, responderNonce);
            assertThat(transcript).isEqualTo(kat.get("transcript_hash"));
            KeySchedule keys = KeySchedule.derive(shared, transcript);
            assertThat(keys.initiatorToResponder()).isEqualTo(kat.get("key_initiator_to_responder"));
            assertThat(keys.responderToInitiator()).isEqualTo(kat.get("key_responder_to_initiator"));
            assertThat(keys.sessionId()).isEqualTo(kat.get("session_id"));
            assertThat(Wire.frame(Wire.HELLO, 0, 1, concat(new byte[] {3}, keys.confirmation())))
                    .isEqualTo(kat.get("frame_confirmation"));

            byte[] data = kat.get("data_plaintext");
            assertThat(Record.seal(keys.initiatorToResponder(), keys.sessionId(), Wire.DATA, 0, data))
                    .isEqualTo(kat.get("frame_initiator_data_seq0"));
            assertThat(Record.seal(keys.initiatorToResponder(), keys.sessionId(), Wire.TENSOR, 1, kat.get("tensor_plaintext")))
                    .isEqualTo(kat.get("frame_initiator_tensor_seq1"));
            assertThat(Record.seal(keys.responderToInitiator(), keys.sessionId(), Wire.DATA, 0, data))
                    .isEqualTo(kat.get("frame_responder_data_seq0"));
            assertThat(Record.seal(keys.initiatorToResponder(), keys.sessionId(), Wire.SHUTDOWN, 2, new byte[0]))
                    .isEqualTo(kat.get("frame_initiator_shutdown_seq2"));
            assertThat(Record.open(keys.responderToInitiator(), keys.sessionId(), kat.get("frame_responder_data_seq0")))
                    .isEqualTo(data);
        }

        private Map<String, byte[]> readVector(String file) throws IOException {
            Path directory = Path.of(System.getProperty("securechannel.testdata.dir", "../testdata"), "vectors", "protocol");
            String json = Files.readString(directory.resolve(file));
            Map<String, byte[]> fields = new HashMap<>();
            Matcher hexField = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([0-9a-fA-F]*)\"").matcher(json);
            while (hexField.find()) {
                fields.put(hexField.group(1), HexFormat.of().parseHex(hexField.group(2)));
            }
            return fields;
        }
    }

    // ==================================================================== PROTOCOL.md section 1

    /** The 13-byte frame header: magic, version 4, type, flags, u32 sequence, u32 payload length (big-endian). */
    static final class Wire {

        static final int HELLO = 0x01;
        static final int DATA = 0x02;
        static final int SHUTDOWN = 0x05;
        static final int TENSOR = 0x06;
        static final int ENCRYPTED = 0x01;
        static final int TENSOR_PAYLOAD = 0x02;
        static final int HEADER = 13;
        static final int VERSION = 4;

        static byte[] frame(int type, int flags, long sequence, byte[] payload) {
            return ByteBuffer.allocate(HEADER + payload.length)
                    .put((byte) 0xCF).put((byte) 0x4D).put((byte) VERSION).put((byte) type).put((byte) flags)
                    .putInt((int) sequence).putInt(payload.length).put(payload)
                    .array();
        }

        /** Section 2: message number | pk(32) | nonce(32) | u32 len | doc. */
        static byte[] helloPayload(int number, byte[] publicKey, byte[] nonce, byte[] document) {
            return ByteBuffer.allocate(69 + document.length)
                    .put((byte) number).put(publicKey).put(nonce).putInt(document.length).put(document)
                    .array();
        }
    }

    /** A received hello of section 2, checked field by field. */
    record Hello(byte[] publicKey, byte[] nonce, byte[] document) {

        static Hello parse(byte[] frame, int expectedNumber) {
            ByteBuffer in = ByteBuffer.wrap(frame);
            assertThat(in.get() & 0xFF).as("magic").isEqualTo(0xCF);
            assertThat(in.get() & 0xFF).as("magic").isEqualTo(0x4D);
            assertThat((int) in.get()).as("version").isEqualTo(Wire.VERSION);
            assertThat((int) in.get()).as("msg_type").isEqualTo(Wire.HELLO);
            in.get(); // Hello flags: unknown bits are ignored (sections 2 and 8).
            assertThat(in.getInt()).as("sequence").isZero();
            int payloadLength = in.getInt();
            assertThat(payloadLength).as("payload_len").isEqualTo(frame.length - Wire.HEADER);
            assertThat((int) in.get()).as("message number").isEqualTo(expectedNumber);
            byte[] publicKey = new byte[32];
            byte[] nonce = new byte[32];
            in.get(publicKey).get(nonce);
            int documentLength = in.getInt();
            assertThat(payloadLength).as("hello length").isEqualTo(69 + documentLength);
            byte[] document = new byte[documentLength];
            in.get(document);
            return new Hello(publicKey, nonce, document);
        }
    }

    // ==================================================================== PROTOCOL.md section 6

    /** "MOCK_ATT_V1\0" | for user_data, nonce, public_key: u32 LE length (0 = absent) | bytes. */
    record MockDocument(byte[] userData, byte[] nonce, byte[] publicKey) {

        private static final byte[] MARKER = "MOCK_ATT_V1\0".getBytes(StandardCharsets.US_ASCII);

        static byte[] encode(byte[] nonce, byte[] publicKey) {
            return ByteBuffer.allocate(MARKER.length + 12 + nonce.length + publicKey.length).order(ByteOrder.LITTLE_ENDIAN)
                    .put(MARKER).putInt(0).putInt(nonce.length).put(nonce).putInt(publicKey.length).put(publicKey)
                    .array();
        }

        static MockDocument parse(byte[] document) {
            ByteBuffer in = ByteBuffer.wrap(document).order(ByteOrder.LITTLE_ENDIAN);
            byte[] marker = new byte[MARKER.length];
            in.get(marker);
            assertThat(marker).as("marker").isEqualTo(MARKER);
            byte[][] fields = new byte[3][];
            for (int i = 0; i < 3; i++) {
                fields[i] = new byte[in.getInt()];
                in.get(fields[i]);
            }
            assertThat(in.hasRemaining()).as("trailing bytes").isFalse();
            return new MockDocument(fields[0], fields[1], fields[2]);
        }
    }

    // ==================================================================== PROTOCOL.md section 3

    /** X25519 on the JDK; a raw key is the 32-byte little-endian u-coordinate. */
    static final class X25519 {

        static byte[] rawPublicKey(PublicKey key) {
            return littleEndian(((XECPublicKey) key).getU());
        }

        static byte[] agree(PrivateKey own, byte[] peerPublicKey) throws GeneralSecurityException {
            byte[] u = peerPublicKey.clone();
            u[31] &= 0x7F; // RFC 7748: the top bit of the u-coordinate is masked.
            PublicKey peer = KeyFactory.getInstance("XDH")
                    .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, reversed(u))));
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(own);
            agreement.doPhase(peer, true);
            byte[] shared = agreement.generateSecret();
            assertThat(shared).as("non-contributory shared secret").isNotEqualTo(new byte[32]);
            return shared;
        }

        static PrivateKey privateKeyOf(byte[] scalar) throws GeneralSecurityException {
            return KeyFactory.getInstance("XDH").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
        }

        /** The public key of a fixed scalar: X25519(scalar, 9). */
        static byte[] publicKeyOf(byte[] scalar) throws GeneralSecurityException {
            byte[] basePoint = new byte[32];
            basePoint[0] = 9;
            return agree(privateKeyOf(scalar), basePoint);
        }

        private static byte[] littleEndian(BigInteger u) {
            byte[] bigEndian = u.toByteArray();
            byte[] out = new byte[32];
            for (int i = 0; i < Math.min(32, bigEndian.length); i++) {
                out[i] = bigEndian[bigEndian.length - 1 - i];
            }
            return out;
        }

        private static byte[] reversed(byte[] bytes) {
            byte[] out = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                out[i] = bytes[bytes.length - 1 - i];
            }
            return out;
        }
    }

    /** Transcript, HKDF-SHA-256 and the derived keys, session id and confirmation. */
    record KeySchedule(byte[] initiatorToResponder, byte[] responderToInitiator, byte[] sessionId, byte[] confirmation) {

        static byte[] transcript(byte[] initiatorDocument, byte[] responderDocument, byte[] initiatorPublic,
                                 byte[] responderPublic, byte[] initiatorNonce, byte[] responderNonce) throws GeneralSecurityException {
            boolean initiatorLow = Arrays.compareUnsigned(initiatorPublic, responderPublic) <= 0;
            byte[] combined = new byte[32];
            for (int i = 0; i < 32; i++) {
                combined[i] = (byte) (initiatorNonce[i] ^ responderNonce[i]);
            }
            ByteArrayOutputStream items = new ByteArrayOutputStream();
            item(items, "init-attestation-hash", sha256(initiatorDocument));
            item(items, "resp-attestation-hash", sha256(responderDocument));
            item(items, "pk-low", initiatorLow ? initiatorPublic : responderPublic);
            item(items, "pk-high", initiatorLow ? responderPublic : initiatorPublic);
            item(items, "combined-nonce", combined);
            item(items, "protocol-version", new byte[] {Wire.VERSION});
            return sha256(items.toByteArray());
        }

        static KeySchedule derive(byte[] shared, byte[] transcript) throws GeneralSecurityException {
            byte[] prk = hmac(transcript, shared);
            byte[] initiatorToResponder = expand(prk, "cmt-initiator-to-responder");
            byte[] responderToInitiator = expand(prk, "cmt-responder-to-initiator");
            byte[] sessionId = expand(hmac(new byte[32], transcript), "cmt-session-id");
            byte[] confirmation = sha256(concat(concat("cmt-confirmation".getBytes(StandardCharsets.US_ASCII), sessionId),
                    concat(initiatorToResponder, responderToInitiator)));
            return new KeySchedule(initiatorToResponder, responderToInitiator, sessionId, confirmation);
        }

        /** u8 len(label) | label | u16 len(value) | value. */
        private static void item(ByteArrayOutputStream out, String label, byte[] value) {
            byte[] name = label.getBytes(StandardCharsets.US_ASCII);
            out.write(name.length);
            out.writeBytes(name);
            out.write(value.length >>> 8);
            out.write(value.length);
            out.writeBytes(value);
        }

        /** HKDF-Expand for one 32-byte block: HMAC(PRK, info | 0x01). */
        private static byte[] expand(byte[] prk, String info) throws GeneralSecurityException {
            return hmac(prk, concat(info.getBytes(StandardCharsets.US_ASCII), new byte[] {1}));
        }

        private static byte[] hmac(byte[] key, byte[] message) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        }

        private static byte[] sha256(byte[] message) throws GeneralSecurityException {
            return MessageDigest.getInstance("SHA-256").digest(message);
        }
    }

    // ==================================================================== PROTOCOL.md section 4

    /** ChaCha20-Poly1305; nonce = 4 zero bytes | u64 sequence; AAD = version | type | flags | session_id | u64 sequence. */
    static final class Record {

        static byte[] seal(byte[] key, byte[] sessionId, int type, long sequence, byte[] plaintext) throws GeneralSecurityException {
            int flags = type == Wire.TENSOR ? Wire.ENCRYPTED | Wire.TENSOR_PAYLOAD : Wire.ENCRYPTED;
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, sessionId, type, flags, sequence);
            return Wire.frame(type, flags, sequence, cipher.doFinal(plaintext));
        }

        static byte[] open(byte[] key, byte[] sessionId, byte[] frame) throws GeneralSecurityException {
            ByteBuffer header = ByteBuffer.wrap(frame, 0, Wire.HEADER);
            header.position(3);
            int type = header.get() & 0xFF;
            int flags = header.get() & 0xFF;
            long sequence = header.getInt() & 0xFFFF_FFFFL;
            assertThat(header.getInt()).as("payload_len").isEqualTo(frame.length - Wire.HEADER);
            assertThat(flags & Wire.ENCRYPTED).as("ENCRYPTED flag").isEqualTo(Wire.ENCRYPTED);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, sessionId, type, flags, sequence);
            return cipher.doFinal(frame, Wire.HEADER, frame.length - Wire.HEADER);
        }

        private static Cipher cipher(int mode, byte[] key, byte[] sessionId, int type, int flags, long sequence)
                throws GeneralSecurityException {
            byte[] nonce = ByteBuffer.allocate(12).putInt(0).putLong(sequence).array();
            byte[] aad = ByteBuffer.allocate(43).put((byte) Wire.VERSION).put((byte) type).put((byte) flags)
                    .put(sessionId).putLong(sequence).array();
            Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            cipher.updateAAD(aad);
            return cipher;
        }
    }

    // ==================================================================== PROTOCOL.md section 7

    /** One binary message per frame over {@code java.net.http.WebSocket}, subprotocol {@code cmt.v4}. */
    static final class Peer implements AutoCloseable {

        private static final Duration WAIT = Duration.ofSeconds(5);

        private final BlockingQueue<byte[]> messages = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private WebSocket webSocket;

        static Peer connect(URI uri) throws Exception {
            Peer peer = new Peer();
            peer.webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .subprotocols("cmt.v4")
                    .connectTimeout(WAIT)
                    .buildAsync(uri, peer.new Listener())
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return peer;
        }

        void send(byte[] frame) throws Exception {
            webSocket.sendBinary(ByteBuffer.wrap(frame), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        byte[] receive() throws InterruptedException {
            byte[] message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a message from the server within %s (closed: %s)", WAIT, closeCode.getNow(null)).isNotNull();
            return message;
        }

        int closeCode() throws Exception {
            return closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            webSocket.abort();
        }

        private final class Listener implements WebSocket.Listener {

            private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                partial.writeBytes(chunk);
                if (last) {
                    messages.add(partial.toByteArray());
                    partial.reset();
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closeCode.complete(1006);
            }
        }
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
