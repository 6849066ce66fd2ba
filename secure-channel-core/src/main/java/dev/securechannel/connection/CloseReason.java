package dev.securechannel.connection;

import dev.securechannel.FailureReason;
import org.jspecify.annotations.Nullable;

/**
 * Why a connection ended.
 *
 * @param code    the WebSocket close code sent or received (PROTOCOL.md section 7)
 * @param failure the failure, or {@code null} after a clean Shutdown
 */
public record CloseReason(int code, @Nullable FailureReason failure) {

    /** Normal closure after a Shutdown. */
    public static final int NORMAL = 1000;

    /** A clean end: a Shutdown was exchanged. */
    public static CloseReason clean() {
        return new CloseReason(NORMAL, null);
    }

    /** An end caused by {@code failure}. */
    public static CloseReason failed(FailureReason failure) {
        return new CloseReason(failure.closeCode(), failure);
    }

    /** Whether the session ended cleanly with a Shutdown. */
    public boolean isClean() {
        return failure == null;
    }

    /** The low-cardinality tag value: {@code shutdown} or the failure's tag. */
    public String tagValue() {
        return failure == null ? "shutdown" : failure.tagValue();
    }
}
