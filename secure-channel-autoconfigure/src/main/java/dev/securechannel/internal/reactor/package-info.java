/**
 * Internal, not API: what the Reactor stacks of this module share (the reactive server in
 * {@code dev.securechannel.server.reactive} and the Reactor Netty client in
 * {@code dev.securechannel.client.netty}). It may change or go away in any release;
 * applications should not use it.
 */
@NullMarked
package dev.securechannel.internal.reactor;

import org.jspecify.annotations.NullMarked;

