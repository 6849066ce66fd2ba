package dev.securechannel.server;

import dev.securechannel.internal.handshake.HandshakeResult;
import dev.securechannel.internal.session.RecordSession;
import dev.securechannel.session.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The attacker's side of an established session: seals frames with the library's
 * {@link RecordSession} but hands them back to the test instead of sending them, so they can
 * be sent, withheld, replayed, reordered or altered.
 */
final class SealedSession {

    private final Deque<byte[]> sealed = new ArrayDeque<>();
    private final RecordSession session;

    SealedSession(HandshakeResult result) {
        this.session = new RecordSession(result, sealed::add);
    }

    /** Seals {@code text} as the next Data frame. */
    byte[] data(String text) {
        return data(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Seals {@code payload} as the next Data frame. */
    byte[] data(byte[] payload) {
        try {
            session.send(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sealed.removeLast();
    }

    /** Seals the Shutdown frame. */
    byte[] shutdown() {
        try {
            session.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sealed.removeLast();
    }

    /** Opens a frame from the server and returns its Data payload. */
    byte[] open(byte[] frame) {
        return ((Message.Data) session.open(frame)).payload();
    }

    /** Opens a frame from the server and returns its Data payload as text. */
    String openText(byte[] frame) {
        return new String(open(frame), StandardCharsets.UTF_8);
    }
}
