package dev.securechannel.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.securechannel.FailureReason;
import dev.securechannel.SecureChannelException;
import dev.securechannel.internal.session.RecordSession;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The three-part meaning of "rejected" in CONFORMANCE.md, as assertions: the specific
 * {@link FailureReason} reaches the local caller, nothing reaches the application (the call
 * threw instead of returning a step or a message), and the handshake or session is closed
 * (failed, and every later call fails with SESSION_CLOSED).
 */
public final class Rejections {

    private static final byte[] ANY_FRAME = WireFrames.header(0x02, 0x01, 0, 0);

    private Rejections() {
    }

    /** Runs {@code call}, which must throw a {@link SecureChannelException} with {@code reason}. */
    public static SecureChannelException thrownBy(ThrowingCallable call, FailureReason reason) {
        SecureChannelException thrown = catchThrowableOfType(SecureChannelException.class, call);
        assertThat(thrown).as("expected a SecureChannelException with reason %s", reason).isNotNull();
        assertThat(thrown.reason()).as("reason of \"%s\"", thrown.getMessage()).isEqualTo(reason);
        return thrown;
    }

    /** Asserts that {@code handshake} rejects {@code frame} with {@code reason} and is dead afterwards. */
    public static SecureChannelException assertHandshakeRejects(Handshake handshake, byte[] frame, FailureReason reason) {
        SecureChannelException thrown = thrownBy(() -> handshake.onFrame(frame), reason);
        assertHandshakeClosed(handshake);
        return thrown;
    }

    /**
     * Asserts that {@code responder} answers {@code helloFrame} (hello 2 does not need the keys)
     * and then, when told the reply was sent, fails the deferred key derivation with
     * {@code reason} and is dead afterwards.
     */
    public static SecureChannelException assertDeferredRejection(HandshakeResponder responder, byte[] helloFrame, FailureReason reason) {
        HandshakeStep answered = responder.onFrame(helloFrame);
        assertThat(answered.reply()).as("hello 2").isNotNull();
        SecureChannelException thrown = thrownBy(responder::replySent, reason);
        assertHandshakeClosed(responder);
        thrownBy(responder::replySent, FailureReason.SESSION_CLOSED);
        return thrown;
    }

    /** Asserts that {@code handshake} has failed and refuses every further frame with SESSION_CLOSED. */
    public static void assertHandshakeClosed(Handshake handshake) {
        assertThat(handshake.isFailed()).as("handshake failed").isTrue();
        assertThat(handshake.isComplete()).as("handshake complete").isFalse();
        thrownBy(() -> handshake.onFrame(ANY_FRAME), FailureReason.SESSION_CLOSED);
    }

    /** Asserts that {@code session} rejects {@code frame} with {@code reason} and is dead afterwards. */
    public static SecureChannelException assertSessionRejects(RecordSession session, byte[] frame, FailureReason reason) {
        SecureChannelException thrown = thrownBy(() -> session.open(frame), reason);
        assertSessionClosedBy(session, reason);
        return thrown;
    }

    /** Asserts that {@code session} failed with {@code reason} and refuses to open or send anything. */
    public static void assertSessionClosedBy(RecordSession session, FailureReason reason) {
        assertThat(session.state()).isEqualTo(RecordSession.State.FAILED);
        assertThat(session.failureReason()).isEqualTo(reason);
        assertThat(session.isOpen()).isFalse();
        thrownBy(() -> session.open(ANY_FRAME), FailureReason.SESSION_CLOSED);
        thrownBy(() -> session.send(new byte[] {1, 2, 3}), FailureReason.SESSION_CLOSED);
        thrownBy(session::sendHeartbeat, FailureReason.SESSION_CLOSED);
    }
}
