/** Auto-configuration of secure-channel metrics with Micrometer. */
@NullMarked
package dev.securechannel.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
