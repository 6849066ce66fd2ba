/**
 * The wire format of protocol version 4: the 13-byte frame header, the streaming frame
 * decoder, and the tensor sub-frame (PROTOCOL.md sections 1 and 5).
 *
 * <p>Everything here is pure encoding: no keys, no state beyond a decoder's buffer.
 *
 * <p><b>Not API.</b> Everything under {@code dev.securechannel.internal} is public only so that
 * the project's own modules can use it; it may change in any release without notice.
 */
@NullMarked
package dev.securechannel.internal.protocol;

import org.jspecify.annotations.NullMarked;

