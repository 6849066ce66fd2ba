/**
 * Auto-configuration of the secure-channel client.
 */
@NullMarked
package dev.securechannel.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
