package dev.securechannel.session;

import dev.securechannel.internal.crypto.SessionKeys;
import dev.securechannel.internal.handshake.HandshakeFixtures;
import dev.securechannel.internal.session.RecordSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Two sans-IO sessions from one fixed-key handshake, each writing its sealed frames into a
 * list, so a test can deliver, drop, reorder, replay or edit them before calling
 * {@link RecordSession#open(byte[])} on the other side. The keys are known
 * ({@link #keys}), so {@link #forgerToServer()} can mint authentic frames with any header.
 */
final class SessionPair {

    final HandshakeFixtures.Completed handshake = HandshakeFixtures.complete();
    final SessionKeys keys = HandshakeFixtures.expectedKeys(HandshakeFixtures.INITIATOR, HandshakeFixtures.RESPONDER);
    final List<byte[]> fromClient = new ArrayList<>();
    final List<byte[]> fromServer = new ArrayList<>();
    final RecordSession client = new RecordSession(handshake.initiator(), fromClient::add);
    final RecordSession server = new RecordSession(handshake.responder(), fromServer::add);

    /** Seals with the client's real key, header chosen freely. */
    ReferenceSealer forgerToServer() {
        return new ReferenceSealer(keys.initiatorToResponder(), keys.sessionId());
    }

    /** The frame the client sends for {@code data}. */
    byte[] clientData(byte[] data) {
        try {
            client.send(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromClient.get(fromClient.size() - 1);
    }

    /** The frame the client sends for {@code text} in UTF-8. */
    byte[] clientData(String text) {
        return clientData(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The last frame the client sent. */
    byte[] lastFromClient() {
        return fromClient.get(fromClient.size() - 1);
    }
}
