/**
 * A client transport on Reactor Netty's WebSocket client, for applications that have it
 * (several times the JDK client's receive throughput).
 */
@NullMarked
package dev.securechannel.client.netty;

import org.jspecify.annotations.NullMarked;
