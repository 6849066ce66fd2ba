package dev.securechannel.session;

import dev.securechannel.attestation.AttestationDocument;
import dev.securechannel.attestation.VerifiedAttestation;
import dev.securechannel.handshake.Extensions;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.KeyUpdatePolicy;
import dev.securechannel.handshake.Role;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.crypto.CryptoBackend;
import dev.securechannel.internal.crypto.CryptoBackends;
import dev.securechannel.internal.crypto.OpeningContext;
import dev.securechannel.internal.crypto.RecordAlgorithm;
import dev.securechannel.internal.crypto.SealingContext;
import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.session.RecordSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two sans-IO sessions made straight from known keys and negotiated extensions, as a completed
 * handshake would hand them over, each writing its sealed frames into a list. For tests of the
 * record layer's extensions (AES-256-GCM, key update) independent of the handshake that
 * negotiates them. The sessions share one manual clock for the key update interval.
 */
final class KeyedSessionPair {

    final AtomicLong nanos = new AtomicLong();
    final List<byte[]> fromClient = new ArrayList<>();
    final List<byte[]> fromServer = new ArrayList<>();
    final RecordSession client;
    final RecordSession server;

    KeyedSessionPair(Extensions extensions, byte[] initiatorToResponder, byte[] responderToInitiator, byte[] sessionId,
                     KeyUpdatePolicy policy) {
        this(CryptoBackends.auto(), extensions, initiatorToResponder, responderToInitiator, sessionId, policy);
    }

    /** As above, every record context on {@code backend}. */
    KeyedSessionPair(CryptoBackend backend, Extensions extensions, byte[] initiatorToResponder, byte[] responderToInitiator,
                     byte[] sessionId, KeyUpdatePolicy policy) {
        this(backend, extensions, new SealingContext(backend, RecordAlgorithm.of(extensions), initiatorToResponder, sessionId),
                initiatorToResponder, responderToInitiator, sessionId, policy);
    }

    /** As above, with the client's sealing context given (for one that starts near a limit). */
    KeyedSessionPair(Extensions extensions, SealingContext clientSealing, byte[] initiatorToResponder,
                     byte[] responderToInitiator, byte[] sessionId, KeyUpdatePolicy policy) {
        this(CryptoBackends.auto(), extensions, clientSealing, initiatorToResponder, responderToInitiator, sessionId, policy);
    }

    private KeyedSessionPair(CryptoBackend backend, Extensions extensions, SealingContext clientSealing,
                             byte[] initiatorToResponder, byte[] responderToInitiator, byte[] sessionId,
                             KeyUpdatePolicy policy) {
        RecordAlgorithm algorithm = RecordAlgorithm.of(extensions);
        client = new RecordSession(result(Role.INITIATOR, sessionId, clientSealing,
                new OpeningContext(backend, algorithm, responderToInitiator, sessionId), extensions, policy), fromClient::add, nanos::get);
        server = new RecordSession(result(Role.RESPONDER, sessionId,
                new SealingContext(backend, algorithm, responderToInitiator, sessionId),
                new OpeningContext(backend, algorithm, initiatorToResponder, sessionId), extensions, policy), fromServer::add, nanos::get);
    }

    /** A pair with random keys. */
    static KeyedSessionPair random(Extensions extensions, KeyUpdatePolicy policy) {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[][] keys = new byte[3][32];
        for (byte[] key : keys) {
            random.nextBytes(key);
        }
        return new KeyedSessionPair(extensions, keys[0], keys[1], keys[2], policy);
    }

    private static HandshakeResult result(Role role, byte[] sessionId, SealingContext sealing, OpeningContext opening,
                                          Extensions extensions, KeyUpdatePolicy policy) {
        VerifiedAttestation peer = new VerifiedAttestation(new byte[32], null, null, null, Map.of(), "test", true, Map.of());
        return new HandshakeResult(role, sessionId, sealing, opening, peer, new AttestationDocument(new byte[1]),
                SessionConfig.DEFAULT_MAX_PAYLOAD_LENGTH, new HandshakeTimings(0, 0, 0, 0), extensions, policy);
    }

    /** The frame the client sends for {@code data}. */
    byte[] clientDataFrame(byte[] data) throws java.io.IOException {
        client.send(data);
        return fromClient.get(fromClient.size() - 1);
    }

    /** Opens every frame the client sent since {@code from} on the server; the messages, KeyUpdates dropped. */
    List<Message> deliverToServer(int from) {
        return deliver(fromClient, from, server);
    }

    /** Opens every frame the server sent since {@code from} on the client. */
    List<Message> deliverToClient(int from) {
        return deliver(fromServer, from, client);
    }

    private static List<Message> deliver(List<byte[]> frames, int from, RecordSession receiver) {
        List<Message> messages = new ArrayList<>();
        for (int i = from; i < frames.size(); i++) {
            Message message = receiver.open(frames.get(i));
            if (message != null) {
                messages.add(message);
            }
        }
        return messages;
    }
}
