package dev.securechannel.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.autoconfigure.reactive.SecureChannelReactiveAutoConfiguration;
import dev.securechannel.autoconfigure.servlet.SecureChannelServletAutoConfiguration;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.internal.server.ServerConnections;
import dev.securechannel.server.reactive.SecureChannelReactiveHandler;
import dev.securechannel.server.servlet.SecureChannelWebSocketHandler;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/** The endpoint auto-configurations: which stack is chosen, limits from properties, back-off and failure reports. */
class SecureChannelServerAutoConfigurationTest {

    private static final String[] DEVELOPMENT = {
        "secure-channel.security-profile=development", "secure-channel.attestation.provider=mock"};

    private static final SecureChannelHandler ECHO = (connection, message) -> { };

    private static final AutoConfigurations ALL = AutoConfigurations.of(SecureChannelMockAttestationAutoConfiguration.class,
            SecureChannelAutoConfiguration.class, SecureChannelServletAutoConfiguration.class,
            SecureChannelReactiveAutoConfiguration.class);

    @Nested
    class Servlet {

        private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
                .withConfiguration(ALL).withPropertyValues(DEVELOPMENT);

        @Test
        void servesTheEndpointWithAHandlerBean() {
            runner.withBean(SecureChannelHandler.class, () -> ECHO).run(context -> {
                assertThat(context).hasSingleBean(SecureChannelWebSocketHandler.class);
                assertThat(context).hasSingleBean(ConnectionRegistry.class);
                assertThat(context).hasSingleBean(ServerConnections.class);
                assertThat(context).doesNotHaveBean(SecureChannelReactiveHandler.class);
                assertThat(context.getBean(SecureChannelWebSocketHandler.class).maxMessageSize()).isEqualTo(4 * 1024 * 1024 + 13);
            });
        }

        @Test
        void endsSessionsJustBeforeTheWebServersGracefulShutdown() {
            runner.withBean(SecureChannelHandler.class, () -> ECHO).run(context -> {
                assertThat(context).hasSingleBean(SecureChannelShutdownLifecycle.class);
                assertThat(context.getBean(SecureChannelShutdownLifecycle.class).getPhase())
                        .isEqualTo(org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1);
            });
        }

        @Test
        void limitsComeFromProperties() {
            runner.withBean(SecureChannelHandler.class, () -> ECHO)
                    .withPropertyValues("secure-channel.server.max-pending-handshakes=7", "secure-channel.server.max-sessions=9",
                            "secure-channel.server.idle-timeout=2m", "secure-channel.max-frame-size=64KB")
                    .run(context -> {
                        ConnectionRegistry registry = context.getBean(ConnectionRegistry.class);
                        assertThat(registry.limits().maxPendingHandshakes()).isEqualTo(7);
                        assertThat(registry.limits().maxSessions()).isEqualTo(9);
                        assertThat(registry.limits().idleTimeout()).isEqualTo(Duration.ofMinutes(2));
                        assertThat(context.getBean(SecureChannelWebSocketHandler.class).maxMessageSize()).isEqualTo(64 * 1024 + 13);
                    });
        }

        @Test
        void aMissingHandlerIsAReadableStartupFailure() {
            runner.run(context -> {
                assertThat(context).hasFailed();
                Throwable failure = context.getStartupFailure();
                FailureAnalysis analysis = new NoSecureChannelHandlerFailureAnalyzer().analyze(failure);
                assertThat(analysis).isNotNull();
                assertThat(analysis.getDescription()).contains(SecureChannelHandler.class.getName());
                assertThat(analysis.getAction()).contains("secure-channel.server.enabled=false");
            });
        }

        @Test
        void canBeDisabled() {
            runner.withPropertyValues("secure-channel.server.enabled=false")
                    .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SecureChannelWebSocketHandler.class));
        }

        @Test
        void backsOffWithoutSpringWebSocket() {
            runner.withBean(SecureChannelHandler.class, () -> ECHO)
                    .withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class))
                    .run(context -> assertThat(context).doesNotHaveBean(SecureChannelWebSocketHandler.class));
        }

        @Test
        void aUserEndpointHandlerBacksTheDefaultOff() {
            runner.withBean(SecureChannelHandler.class, () -> ECHO)
                    .withBean("custom", ConnectionRegistry.class, () -> new ConnectionRegistry(dev.securechannel.connection.ConnectionLimits.defaults()))
                    .run(context -> assertThat(context).getBeans(ConnectionRegistry.class).containsOnlyKeys("custom"));
        }
    }

    @Nested
    class Reactive {

        private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
                .withConfiguration(ALL).withPropertyValues(DEVELOPMENT);

        @Test
        void servesTheEndpointOnReactorNetty() {
            runner.withBean(SecureChannelHandler.class, () -> ECHO).run(context -> {
                assertThat(context).hasSingleBean(SecureChannelReactiveHandler.class);
                assertThat(context).hasSingleBean(ServerConnections.class);
                assertThat(context).doesNotHaveBean(SecureChannelWebSocketHandler.class);
                SimpleUrlHandlerMapping mapping = context.getBean(SimpleUrlHandlerMapping.class);
                assertThat(mapping.getUrlMap()).containsOnlyKeys("/secure-channel");
            });
        }

        @Test
        void thePathComesFromProperties() {
            runner.withBean(SecureChannelHandler.class, () -> ECHO).withPropertyValues("secure-channel.server.path=/tunnel")
                    .run(context -> assertThat(context.getBean(SimpleUrlHandlerMapping.class).getUrlMap()).containsOnlyKeys("/tunnel"));
        }

        @Test
        void backsOffWithoutReactorNetty() {
            runner.withBean(SecureChannelHandler.class, () -> ECHO)
                    .withClassLoader(new FilteredClassLoader(ReactorNettyRequestUpgradeStrategy.class))
                    .run(context -> assertThat(context).doesNotHaveBean(SecureChannelReactiveHandler.class));
        }

        @Test
        void aMissingHandlerFailsStartup() {
            runner.run(context -> assertThat(context).getFailure().hasRootCauseInstanceOf(NoSuchBeanDefinitionException.class));
        }
    }

    @Test
    void aNonWebApplicationGetsNoEndpoint() {
        new ApplicationContextRunner().withConfiguration(ALL).withPropertyValues(DEVELOPMENT)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(SecureChannelWebSocketHandler.class);
                    assertThat(context).doesNotHaveBean(SecureChannelReactiveHandler.class);
                });
    }
}
