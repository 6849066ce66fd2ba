package dev.securechannel.autoconfigure.servlet;

import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.SecureChannelProperties;
import dev.securechannel.autoconfigure.ServerSupport;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.server.servlet.NoExtensionsHandshakeHandler;
import dev.securechannel.server.servlet.SecureChannelWebSocketHandler;
import dev.securechannel.server.servlet.SubprotocolHandshakeInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
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
    SecureChannelWebSocketHandler secureChannelWebSocketHandler(SessionConfig config, SecureChannelHandler handler,
                                                                ObjectProvider<ConnectionObserver> observer,
                                                                ConnectionRegistry registry, SecureChannelProperties properties) {
        return new SecureChannelWebSocketHandler(config, handler, observer.getIfAvailable(() -> ConnectionObserver.NONE), registry,
                properties.getServer().getSendTimeLimit(), ServerSupport.sendBufferLimit(properties));
    }

    @Bean
    WebSocketConfigurer secureChannelWebSocketConfigurer(SecureChannelWebSocketHandler handler, SecureChannelProperties properties) {
        return registry -> registry.addHandler(handler, properties.getServer().getPath())
                .setHandshakeHandler(new NoExtensionsHandshakeHandler())
                .addInterceptors(new SubprotocolHandshakeInterceptor())
                .setAllowedOriginPatterns(properties.getServer().getAllowedOriginPatterns().toArray(String[]::new));
    }
}
