package dev.securechannel.autoconfigure.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.SecureChannelMockAttestationAutoConfiguration;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.server.servlet.SecureChannelWebSocketHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/** A servlet application without WebSocket support is told, once, why it has no endpoint and what to add. */
@ExtendWith(OutputCaptureExtension.class)
class SecureChannelServletWithoutWebSocketAutoConfigurationTest {

    private static final String WARNING = "secure-channel: no endpoint at /secure-channel: this servlet web application has no "
            + "WebSocket support";

    private static final String ADVICE = "Add the dependency org.springframework.boot:spring-boot-starter-websocket";

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecureChannelMockAttestationAutoConfiguration.class,
                    SecureChannelAutoConfiguration.class, SecureChannelServletAutoConfiguration.class,
                    SecureChannelServletWithoutWebSocketAutoConfiguration.class))
            .withPropertyValues("secure-channel.security-profile=development", "secure-channel.attestation.provider=mock")
            .withBean(SecureChannelHandler.class, () -> (connection, message) -> { });

    @Test
    void withoutSpringWebSocketItWarnsOnceNamingTheDependency(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SecureChannelWebSocketHandler.class);
            assertThat(output).contains(WARNING, ADVICE, "secure-channel.server.enabled=false");
            assertThat(output.getOut().split(WARNING, -1)).hasSize(2);
        });
    }

    @Test
    void withoutAJakartaWebSocketContainerItWarnsToo(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader(jakarta.websocket.server.ServerContainer.class))
                .run(context -> assertThat(output).contains(WARNING, ADVICE));
    }

    @Test
    void theWarningNamesTheConfiguredPath(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class))
                .withPropertyValues("secure-channel.server.path=/tunnel")
                .run(context -> assertThat(output).contains("secure-channel: no endpoint at /tunnel:"));
    }

    @Test
    void withWebSocketSupportTheEndpointIsServedAndNothingIsSaid(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasSingleBean(SecureChannelWebSocketHandler.class);
            assertThat(context).doesNotHaveBean("secureChannelMissingWebSocketWarning");
            assertThat(output).doesNotContain(WARNING);
        });
    }

    @Test
    void aDisabledEndpointIsNotReportedMissing(CapturedOutput output) {
        runner.withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class))
                .withPropertyValues("secure-channel.server.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean("secureChannelMissingWebSocketWarning");
                    assertThat(output).doesNotContain(WARNING);
                });
    }

    @Test
    void aNonWebApplicationIsNotReportedMissing() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SecureChannelServletWithoutWebSocketAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class))
                .run(context -> assertThat(context).doesNotHaveBean("secureChannelMissingWebSocketWarning"));
    }
}
