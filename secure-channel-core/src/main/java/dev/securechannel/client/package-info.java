/**
 * The client: connects to a secure-channel WebSocket endpoint, runs the initiator's
 * handshake, and offers blocking send, receive and request-reply, with reconnection on I/O
 * failures only. The JDK's {@code java.net.http.WebSocket} is the default transport; faster
 * ones plug in through {@link dev.securechannel.client.WebSocketConnector}.
 */
@NullMarked
package dev.securechannel.client;

import org.jspecify.annotations.NullMarked;
