/** Auto-configuration of the {@code securechannel} actuator endpoint. */
@NullMarked
package dev.securechannel.autoconfigure.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
