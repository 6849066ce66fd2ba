/**
 * Metrics of secure-channel connections: {@link dev.securechannel.metrics.SecureChannelMetrics}
 * keeps cumulative in-process statistics (what {@code /actuator/securechannel} shows), and
 * {@link dev.securechannel.metrics.MicrometerConnectionObserver} records the same events as
 * Micrometer meters with microsecond-resolution histograms for export.
 */
@NullMarked
package dev.securechannel.metrics;

import org.jspecify.annotations.NullMarked;

