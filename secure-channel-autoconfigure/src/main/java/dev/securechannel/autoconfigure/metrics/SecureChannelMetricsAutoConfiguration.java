package dev.securechannel.autoconfigure.metrics;

import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.metrics.MicrometerConnectionObserver;
import dev.securechannel.metrics.SecureChannelMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Metrics of every secure-channel endpoint and client of the application: a
 * {@link MicrometerConnectionObserver} (the {@link ConnectionObserver} the servlet, reactive
 * and client auto-configurations pick up) feeding the application's {@link MeterRegistry} and
 * a {@link SecureChannelMetrics}. Backs off when the application defines its own observer.
 */
@AutoConfiguration(after = SecureChannelAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({MeterRegistry.class, SessionConfig.class})
public final class SecureChannelMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SecureChannelMetrics secureChannelMetrics() {
        return new SecureChannelMetrics();
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean(ConnectionObserver.class)
    MicrometerConnectionObserver secureChannelConnectionObserver(MeterRegistry registry, SecureChannelMetrics metrics,
                                                                 SessionConfig config) {
        return new MicrometerConnectionObserver(registry, metrics, config.attestationProvider().type());
    }
}
