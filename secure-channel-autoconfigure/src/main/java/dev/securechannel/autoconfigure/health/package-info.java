/** Auto-configuration of the secure-channel health contributor. */
@NullMarked
package dev.securechannel.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
