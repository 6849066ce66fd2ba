/**
 * What travels in a session: {@link dev.securechannel.protocol.Tensor} with its
 * {@link dev.securechannel.protocol.DType}, and the {@link dev.securechannel.protocol.FrameType}
 * that observers see. The wire format itself (PROTOCOL.md sections 1 and 5) is internal.
 */
@NullMarked
package dev.securechannel.protocol;

import org.jspecify.annotations.NullMarked;

