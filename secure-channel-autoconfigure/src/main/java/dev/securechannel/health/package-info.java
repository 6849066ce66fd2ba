/**
 * Health of the local attestation: a periodic self-check that the local provider produces
 * evidence the local verifier accepts, and the {@code securechannel} health contributor.
 */
@NullMarked
package dev.securechannel.health;

import org.jspecify.annotations.NullMarked;
