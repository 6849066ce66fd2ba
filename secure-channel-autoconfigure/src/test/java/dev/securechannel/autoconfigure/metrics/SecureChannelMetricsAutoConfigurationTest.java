package dev.securechannel.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.SecureChannelMockAttestationAutoConfiguration;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.HandshakeTimings;
import dev.securechannel.handshake.Role;
import dev.securechannel.metrics.MicrometerConnectionObserver;
import dev.securechannel.metrics.SecureChannelMetrics;
import dev.securechannel.protocol.FrameType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The metrics auto-configuration: an observer on the application's meter registry, or nothing. */
class SecureChannelMetricsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecureChannelMockAttestationAutoConfiguration.class,
                    SecureChannelAutoConfiguration.class, SecureChannelMetricsAutoConfiguration.class))
            .withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock");

    @Test
    void observesConnectionsIntoTheApplicationsMeterRegistry() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(ConnectionObserver.class).hasSingleBean(MicrometerConnectionObserver.class)
                    .hasSingleBean(SecureChannelMetrics.class);
            context.getBean(MicrometerConnectionObserver.class).handshakeCompleted(Role.RESPONDER, new HandshakeTimings(1, 1, 1, 5));
            assertThat(context.getBean(MeterRegistry.class).find(MicrometerConnectionObserver.HANDSHAKE)
                    .tag("provider", "mock").timers()).hasSize(1);
        });
    }

    @Test
    void followsBootsMeterRegistryAutoConfiguration() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(MicrometerConnectionObserver.class));
    }

    @Test
    void theReadmesPropertiesWidenNarrowAndDropTheDefaultSeries() {
        ApplicationContextRunner prometheus = runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                PrometheusMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class));
        prometheus.run(context -> assertThat(sealBuckets(context)).hasSize(19));
        prometheus.withPropertyValues("management.metrics.distribution.percentiles-histogram.securechannel=true")
                .run(context -> assertThat(sealBuckets(context)).hasSizeGreaterThan(60));
        prometheus.withPropertyValues("management.metrics.distribution.slo.securechannel.frame.seal=50us,100us,200us")
                .run(context -> assertThat(sealBuckets(context)).hasSize(3));
        prometheus.withPropertyValues("management.metrics.enable.securechannel.frame.write=false").run(context -> {
            MicrometerConnectionObserver observer = context.getBean(MicrometerConnectionObserver.class);
            observer.frameWritten(FrameType.DATA, 100, 2_000);
            observer.frameSealed(FrameType.DATA, 100, 2_000);
            observer.publish();
            String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
            assertThat(scrape).contains("securechannel_frame_seal_seconds_count").doesNotContain("securechannel_frame_write");
        });
    }

    /** The bucket bounds of the seal timer after one published seal. */
    private static CountAtBucket[] sealBuckets(AssertableApplicationContext context) {
        MicrometerConnectionObserver observer = context.getBean(MicrometerConnectionObserver.class);
        observer.frameSealed(FrameType.DATA, 100, 2_000);
        observer.publish();
        return context.getBean(MeterRegistry.class).get(MicrometerConnectionObserver.SEAL).timer().takeSnapshot().histogramCounts();
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        runner.run(context -> assertThat(context).doesNotHaveBean(ConnectionObserver.class)
                .doesNotHaveBean(SecureChannelMetrics.class));
    }

    @Test
    void backsOffWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ConnectionObserver.class));
    }

    @Test
    void leavesAnApplicationObserverInPlace() {
        ConnectionObserver own = new ConnectionObserver() {
        };
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withBean(ConnectionObserver.class, () -> own)
                .run(context -> {
                    assertThat(context).doesNotHaveBean(MicrometerConnectionObserver.class);
                    assertThat(context.getBean(ConnectionObserver.class)).isSameAs(own);
                });
    }
}
