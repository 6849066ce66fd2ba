package dev.securechannel.autoconfigure.servlet;

import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.SecureChannelProperties;
import dev.securechannel.autoconfigure.ServerSupport;
import dev.securechannel.internal.server.ServerConnections;
import dev.securechannel.server.servlet.NoExtensionsHandshakeHandler;
import dev.securechannel.server.servlet.SecureChannelWebSocketHandler;
import dev.securechannel.server.servlet.SubprotocolHandshakeInterceptor;
import org.apache.coyote.AbstractProtocol;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * Serves the secure-channel endpoint on the servlet stack (Spring WebSocket; Tomcat by
 * default) at {@code secure-channel.server.path}, sized to the frame cap.
 */
@AutoConfiguration(after = SecureChannelAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({WebSocketConfigurer.class, jakarta.websocket.server.ServerContainer.class})
@ConditionalOnBooleanProperty(name = "secure-channel.server.enabled", matchIfMissing = true)
@EnableWebSocket
@Import(ServerSupport.class)
public final class SecureChannelServletAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SecureChannelWebSocketHandler secureChannelWebSocketHandler(ServerConnections connections, SecureChannelProperties properties) {
        return new SecureChannelWebSocketHandler(connections, properties.getServer().getSendTimeLimit(),
                ServerSupport.sendBufferLimit(properties));
    }

    @Bean
    WebSocketConfigurer secureChannelWebSocketConfigurer(SecureChannelWebSocketHandler handler, SecureChannelProperties properties) {
        return registry -> registry.addHandler(handler, properties.getServer().getPath())
                .setHandshakeHandler(new NoExtensionsHandshakeHandler())
                .addInterceptors(new SubprotocolHandshakeInterceptor())
                .setAllowedOriginPatterns(properties.getServer().getAllowedOriginPatterns().toArray(String[]::new));
    }

    /**
     * Tomcat takes at most {@code server.tomcat.max-connections} (8,192 by default) and leaves
     * further connections unanswered in its accept queue: were that below the secure channel's
     * limits, a busy server's clients would meet a silent connect timeout instead of the 1013 of
     * {@code secure-channel.server.max-sessions} (10,000 by default) and
     * {@code max-pending-handshakes}. Raises Tomcat's cap, when lower, to those two limits plus
     * {@value #OTHER_CONNECTIONS} connections for the application's other requests (health
     * checks, scrapes), and says so once at startup.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory")
    static class TomcatConnectionCap {

        static final int OTHER_CONNECTIONS = 256;

        private static final System.Logger LOG = System.getLogger(SecureChannelServletAutoConfiguration.class.getName());

        /** Ordered last: Boot's own Tomcat customizer sets {@code server.tomcat.max-connections} on every start. */
        @Bean
        @Order(Ordered.LOWEST_PRECEDENCE)
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> secureChannelTomcatConnectionCap(SecureChannelProperties properties) {
            SecureChannelProperties.Server server = properties.getServer();
            int needed = (int) Math.min(Integer.MAX_VALUE,
                    (long) server.getMaxSessions() + server.getMaxPendingHandshakes() + OTHER_CONNECTIONS);
            return factory -> factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol
                        && protocol.getMaxConnections() >= 0 && protocol.getMaxConnections() < needed) {
                    LOG.log(System.Logger.Level.INFO, "secure-channel: Tomcat''s max-connections raised from {0} to {1}, so that"
                            + " secure-channel.server.max-sessions ({2}) and max-pending-handshakes ({3}) are what refuse connections,"
                            + " with 1013", protocol.getMaxConnections(), needed, server.getMaxSessions(), server.getMaxPendingHandshakes());
                    protocol.setMaxConnections(needed);
                }
            });
        }
    }
}
