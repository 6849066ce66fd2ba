package dev.securechannel.autoconfigure.client;

import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.SecureChannelProperties;
import dev.securechannel.client.RetryPolicy;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import java.net.URI;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link SecureChannelClient} bean for {@code secure-channel.client.url}, on Reactor
 * Netty's WebSocket client when it is on the classpath and the JDK's otherwise.
 */
@AutoConfiguration(after = SecureChannelAutoConfiguration.class)
@ConditionalOnProperty(prefix = "secure-channel.client", name = "url")
public final class SecureChannelClientAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SecureChannelClient secureChannelClient(SecureChannelProperties properties, SessionConfig config,
                                            WebSocketConnector connector, ObjectProvider<ConnectionObserver> observer) {
        SecureChannelProperties.Client client = properties.getClient();
        URI url = Objects.requireNonNull(client.getUrl(), "secure-channel.client.url");
        RetryPolicy retry = new RetryPolicy(Math.max(0, client.getMaxAttempts() - 1), client.getInitialBackoff(),
                client.getMaxBackoff(), client.getBackoffMultiplier());
        return SecureChannelClient.builder(url, config)
                .connector(connector)
                .connectTimeout(client.getConnectTimeout())
                .requestTimeout(client.getRequestTimeout())
                .retryPolicy(retry)
                .observer(observer.getIfAvailable(() -> ConnectionObserver.NONE))
                .build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "reactor.netty.http.client.HttpClient")
    static class ReactorNettyConnectorConfiguration {

        @Bean
        @ConditionalOnMissingBean
        WebSocketConnector secureChannelWebSocketConnector() {
            return new ReactorNettyWebSocketConnector();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("reactor.netty.http.client.HttpClient")
    static class JdkConnectorConfiguration {

        @Bean
        @ConditionalOnMissingBean
        WebSocketConnector secureChannelWebSocketConnector() {
            return new JdkWebSocketConnector();
        }
    }
}
