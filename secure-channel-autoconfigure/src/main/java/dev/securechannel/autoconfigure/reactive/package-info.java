/**
 * Auto-configuration of the secure-channel endpoint on the reactive stack.
 */
@NullMarked
package dev.securechannel.autoconfigure.reactive;

import org.jspecify.annotations.NullMarked;
