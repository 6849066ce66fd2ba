/**
 * The secure-channel endpoint on the reactive stack (Spring WebFlux on Reactor Netty).
 */
@NullMarked
package dev.securechannel.server.reactive;

import org.jspecify.annotations.NullMarked;
