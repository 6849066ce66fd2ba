package dev.securechannel.autoconfigure.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the {@code securechannel} health contributor ({@code management.health.securechannel.*}).
 */
@ConfigurationProperties(prefix = "management.health.securechannel")
public class SecureChannelHealthIndicatorProperties {

    /**
     * Time between local attestation self-checks after the one at startup. Health requests
     * report the latest check and never produce evidence themselves.
     */
    private Duration interval = Duration.ofMinutes(1);

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }
}
