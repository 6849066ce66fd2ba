/**
 * Spring Boot auto-configuration of secure-channel: properties, attestation beans, the
 * session configuration, and the startup failure reports.
 */
@NullMarked
package dev.securechannel.autoconfigure;

import org.jspecify.annotations.NullMarked;
