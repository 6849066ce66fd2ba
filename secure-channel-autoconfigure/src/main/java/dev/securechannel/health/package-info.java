/**
 * The {@code securechannel} health contributor: Spring Boot's view of the core's periodic
 * local attestation self-check ({@link dev.securechannel.attestation.LocalAttestationMonitor}).
 */
@NullMarked
package dev.securechannel.health;

import org.jspecify.annotations.NullMarked;

