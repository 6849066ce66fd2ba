/**
 * Internal, not API: what the servlet and reactive server stacks of this module share
 * ({@code dev.securechannel.server.servlet} and {@code dev.securechannel.server.reactive}).
 * It may change or go away in any release; applications should not use it.
 */
@NullMarked
package dev.securechannel.internal.server;

import org.jspecify.annotations.NullMarked;

