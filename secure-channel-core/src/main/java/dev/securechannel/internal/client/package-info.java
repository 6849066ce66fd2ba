/**
 * The client's implementation: {@link dev.securechannel.internal.client.DefaultClientSession}
 * runs a {@link dev.securechannel.internal.connection.Connection} over a
 * {@link dev.securechannel.client.WebSocketConnector}.
 *
 * <p><b>Not API.</b> Everything under {@code dev.securechannel.internal} is public only so that
 * the project's own modules can use it; it may change in any release without notice.
 */
@NullMarked
package dev.securechannel.internal.client;

import org.jspecify.annotations.NullMarked;

