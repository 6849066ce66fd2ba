package dev.securechannel.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.autoconfigure.client.SecureChannelClientAutoConfiguration;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The client bean: created only for a configured URL, on the fastest connector available. */
class SecureChannelClientAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecureChannelMockAttestationAutoConfiguration.class,
                    SecureChannelAutoConfiguration.class, SecureChannelClientAutoConfiguration.class))
            .withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock");

    @Test
    void noUrlMeansNoClient() {
        runner.run(context -> assertThat(context).doesNotHaveBean(SecureChannelClient.class));
    }

    @Test
    void aUrlCreatesAClientOnReactorNettyWhenPresent() {
        runner.withPropertyValues("secure-channel.client.url=ws://localhost:9/secure-channel").run(context -> {
            assertThat(context.getBean(SecureChannelClient.class).uri()).isEqualTo(URI.create("ws://localhost:9/secure-channel"));
            assertThat(context.getBean(WebSocketConnector.class)).isInstanceOf(ReactorNettyWebSocketConnector.class);
        });
    }

    @Test
    void withoutReactorNettyTheJdkClientIsUsed() {
        runner.withPropertyValues("secure-channel.client.url=ws://localhost:9/secure-channel")
                .withClassLoader(new FilteredClassLoader("reactor.netty"))
                .run(context -> assertThat(context.getBean(WebSocketConnector.class)).isInstanceOf(JdkWebSocketConnector.class));
    }

    @Test
    void aUserConnectorBacksTheDefaultOff() {
        JdkWebSocketConnector own = new JdkWebSocketConnector();
        runner.withPropertyValues("secure-channel.client.url=ws://localhost:9/secure-channel")
                .withBean(WebSocketConnector.class, () -> own)
                .run(context -> assertThat(context.getBean(WebSocketConnector.class)).isSameAs(own));
    }

    @Test
    void connectingToNothingFailsWithAnIoErrorAfterTheConfiguredAttempts() {
        runner.withPropertyValues("secure-channel.client.url=ws://127.0.0.1:9/secure-channel", "secure-channel.client.max-attempts=2",
                        "secure-channel.client.initial-backoff=10ms", "secure-channel.client.connect-timeout=2s")
                .run(context -> {
                    SecureChannelClient client = context.getBean(SecureChannelClient.class);
                    long begin = System.nanoTime();
                    org.assertj.core.api.Assertions.assertThatThrownBy(client::connect).isInstanceOf(java.io.IOException.class);
                    assertThat(System.nanoTime() - begin).isLessThan(java.time.Duration.ofSeconds(10).toNanos());
                });
    }
}
