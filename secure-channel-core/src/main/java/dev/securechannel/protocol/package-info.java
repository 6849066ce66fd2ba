/**
 * The wire format of protocol version 4: the 13-byte frame header, the streaming frame
 * decoder, and the tensor sub-frame (PROTOCOL.md sections 1 and 5).
 *
 * <p>Everything here is pure encoding: no keys, no state beyond a decoder's buffer.
 */
@NullMarked
package dev.securechannel.protocol;

import org.jspecify.annotations.NullMarked;
