/**
 * Internal, not API: pieces the transports of this project share (the core's JDK client and
 * the Spring module's server and client stacks). They may change or go away in any release;
 * applications should not use them.
 */
@NullMarked
package dev.securechannel.internal.transport;

import org.jspecify.annotations.NullMarked;

