package dev.securechannel.internal.handshake;

import dev.securechannel.attestation.InsecureMockAttestation;
import dev.securechannel.attestation.InsecureMockAttestationProvider;
import dev.securechannel.attestation.InsecureMockAttestationVerifier;
import dev.securechannel.handshake.SecurityProfile;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.crypto.Sha256;
import dev.securechannel.internal.crypto.Transcript;
import dev.securechannel.internal.crypto.X25519KeyPair;
import dev.securechannel.internal.protocol.FrameCodec;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Deterministic handshakes for tests: parties identified by a seed get a fixed X25519 key and
 * nonce, so every hello, confirmation, key and session id is reproducible and can be computed
 * independently of the state machines. Also the one door through which tests in other
 * packages reach the package-private fixed-key constructors.
 */
public final class HandshakeFixtures {

    /** The seed of the default initiator. */
    public static final int INITIATOR = 1;
    /** The seed of the default responder. */
    public static final int RESPONDER = 2;

    private static final SessionConfig DEVELOPMENT = developmentBuilder().baseProtocolOnly().build();
    private static final SessionConfig EXTENDED = SessionConfig.insecureDevelopment();

    private HandshakeFixtures() {
    }

    /**
     * The shared development configuration (mock attestation, no measurements) speaking base
     * version 4 only, as the reference crate does: hello flags 0, ChaCha20-Poly1305 records,
     * and the plain transcript the {@code expected...} helpers compute.
     */
    public static SessionConfig development() {
        return DEVELOPMENT;
    }

    /** The development configuration with the default extensions: AES-256-GCM and key update offered. */
    public static SessionConfig extended() {
        return EXTENDED;
    }

    /** A development builder (mock attestation, no measurements) to set extensions on. */
    public static SessionConfig.Builder developmentBuilder() {
        return SessionConfig.builder()
                .securityProfile(SecurityProfile.DEVELOPMENT)
                .attestationProvider(new InsecureMockAttestationProvider())
                .attestationVerifier(new InsecureMockAttestationVerifier());
    }

    /** The fixed private key of party {@code seed}. */
    public static byte[] privateKey(int seed) {
        return Sha256.hash(("secure-channel test private key " + seed).getBytes(StandardCharsets.US_ASCII));
    }

    /** The fixed handshake nonce of party {@code seed}. */
    public static byte[] nonce(int seed) {
        return Sha256.hash(("secure-channel test nonce " + seed).getBytes(StandardCharsets.US_ASCII));
    }

    /** A fresh key-pair object (not yet destroyed) for party {@code seed}. */
    public static X25519KeyPair keyPair(int seed) {
        return X25519KeyPair.fromPrivateKey(privateKey(seed));
    }

    /** The public key of party {@code seed}. */
    public static byte[] publicKey(int seed) {
        return keyPair(seed).publicKey();
    }

    /** The mock document party {@code seed} sends: nonce and public key bound, no user data. */
    public static byte[] mockDocument(int seed) {
        return InsecureMockAttestation.encode(null, nonce(seed), publicKey(seed));
    }

    /** An initiator with party {@code seed}'s fixed key and nonce. */
    public static HandshakeInitiator initiator(SessionConfig config, int seed) {
        return new HandshakeInitiator(config, keyPair(seed), nonce(seed));
    }

    /** An initiator with the given key and nonce. */
    public static HandshakeInitiator initiator(SessionConfig config, X25519KeyPair keys, byte[] nonce) {
        return new HandshakeInitiator(config, keys, nonce);
    }

    /** A responder with party {@code seed}'s fixed key and nonce. */
    public static HandshakeResponder responder(SessionConfig config, int seed) {
        return new HandshakeResponder(config, keyPair(seed), nonce(seed));
    }

    /** A responder with the given key and nonce. */
    public static HandshakeResponder responder(SessionConfig config, X25519KeyPair keys, byte[] nonce) {
        return new HandshakeResponder(config, keys, nonce);
    }

    /** Builds a hello frame exactly as a sender would (sequence 0, flags 0), with any content. */
    public static byte[] hello(int messageNumber, byte[] publicKey, byte[] nonce, byte[] document) {
        return new Hello(publicKey, nonce, new dev.securechannel.attestation.AttestationDocument(document)).encode(messageNumber);
    }

    /** Builds a hello frame as a sender would (sequence 0) with the given flags byte. */
    public static byte[] hello(int messageNumber, int flags, byte[] publicKey, byte[] nonce, byte[] document) {
        return new Hello(publicKey, nonce, new dev.securechannel.attestation.AttestationDocument(document)).encode(messageNumber, flags);
    }

    /** Builds a confirmation frame (sequence 1) carrying {@code hash}. */
    public static byte[] confirmation(byte[] hash) {
        return Hello.encodeConfirmation(hash);
    }

    /**
     * Every frame and both results of one completed handshake.
     *
     * @param initiatorHello the initiator's hello (message 1)
     * @param responderHello the responder's hello (message 2)
     * @param confirmation   the initiator's confirmation (message 3)
     * @param initiator      the initiator's result
     * @param responder      the responder's result
     */
    public record Completed(byte[] initiatorHello, byte[] responderHello, byte[] confirmation,
                            HandshakeResult initiator, HandshakeResult responder) {
    }

    /** Runs the default fixed-key parties to completion with the development configuration. */
    public static Completed complete() {
        return complete(initiator(DEVELOPMENT, INITIATOR), responder(DEVELOPMENT, RESPONDER));
    }

    /** Runs a handshake between fresh random parties with the given configurations. */
    public static Completed completeFresh(SessionConfig initiatorConfig, SessionConfig responderConfig) {
        return complete(new HandshakeInitiator(initiatorConfig), new HandshakeResponder(responderConfig));
    }

    /** Runs two started-or-new parties to completion, failing loudly if any step misbehaves. */
    public static Completed complete(HandshakeInitiator initiator, HandshakeResponder responder) {
        byte[] initiatorHello = Objects.requireNonNull(initiator.start(), "initiator sends first");
        if (responder.start() != null) {
            throw new AssertionError("the responder must wait for the initiator");
        }
        HandshakeStep answered = responder.onFrame(initiatorHello);
        if (answered.reply() == null || answered.result() != null) {
            throw new AssertionError("the responder must answer hello 1 with hello 2 only");
        }
        responder.replySent();
        HandshakeStep confirmed = initiator.onFrame(answered.reply());
        if (confirmed.reply() == null || confirmed.result() == null) {
            throw new AssertionError("the initiator must confirm and complete on hello 2");
        }
        HandshakeStep done = responder.onFrame(confirmed.reply());
        if (done.reply() != null || done.result() == null) {
            throw new AssertionError("the responder must complete silently on the confirmation");
        }
        return new Completed(initiatorHello, answered.reply(), confirmed.reply(), confirmed.result(), done.result());
    }

    /**
     * The key schedule of PROTOCOL.md section 3 for two fixed parties exchanging plain mock
     * documents, computed from the primitives without the state machines.
     */
    public static SessionKeys expectedKeys(int initiatorSeed, int responderSeed) {
        byte[] transcript = expectedTranscript(initiatorSeed, responderSeed);
        byte[] shared = keyPair(initiatorSeed).agree(publicKey(responderSeed));
        return SessionKeys.derive(Objects.requireNonNull(shared), transcript);
    }

    /**
     * The key schedule for two fixed parties whose hellos carried the extension bits
     * {@code offered} and {@code accepted} (PROTOCOL.md section 8.1).
     */
    public static SessionKeys expectedKeys(int initiatorSeed, int responderSeed, int offered, int accepted) {
        byte[] transcript = Transcript.hash(Sha256.hash(mockDocument(initiatorSeed)), Sha256.hash(mockDocument(responderSeed)),
                publicKey(initiatorSeed), publicKey(responderSeed), nonce(initiatorSeed), nonce(responderSeed),
                FrameCodec.PROTOCOL_VERSION, offered, accepted);
        byte[] shared = keyPair(initiatorSeed).agree(publicKey(responderSeed));
        return SessionKeys.derive(Objects.requireNonNull(shared), transcript);
    }

    /** The transcript hash for two fixed parties exchanging plain mock documents. */
    public static byte[] expectedTranscript(int initiatorSeed, int responderSeed) {
        return Transcript.hash(Sha256.hash(mockDocument(initiatorSeed)), Sha256.hash(mockDocument(responderSeed)),
                publicKey(initiatorSeed), publicKey(responderSeed), nonce(initiatorSeed), nonce(responderSeed),
                FrameCodec.PROTOCOL_VERSION);
    }
}
