package dev.securechannel.autoconfigure.reactive;

import dev.securechannel.autoconfigure.SecureChannelAutoConfiguration;
import dev.securechannel.autoconfigure.SecureChannelProperties;
import dev.securechannel.autoconfigure.ServerSupport;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.server.reactive.SecureChannelReactiveHandler;
import dev.securechannel.server.reactive.SecureChannelWebHandler;
import dev.securechannel.server.reactive.SecureChannelWebSocketService;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;

/**
 * Serves the secure-channel endpoint on the reactive stack (WebFlux on Reactor Netty) at
 * {@code secure-channel.server.path}, with Reactor Netty's frame limit sized to the frame cap.
 */
@AutoConfiguration(after = SecureChannelAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({SimpleUrlHandlerMapping.class, ReactorNettyRequestUpgradeStrategy.class})
@ConditionalOnBooleanProperty(name = "secure-channel.server.enabled", matchIfMissing = true)
@Import(ServerSupport.class)
public final class SecureChannelReactiveAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SecureChannelReactiveHandler secureChannelReactiveHandler(SessionConfig config, SecureChannelHandler handler,
                                                              ObjectProvider<ConnectionObserver> observer,
                                                              ConnectionRegistry registry, SecureChannelProperties properties) {
        return new SecureChannelReactiveHandler(config, handler, observer.getIfAvailable(() -> ConnectionObserver.NONE), registry,
                ServerSupport.sendBufferLimit(properties));
    }

    @Bean
    SimpleUrlHandlerMapping secureChannelHandlerMapping(SecureChannelReactiveHandler handler, SecureChannelProperties properties) {
        String path = properties.getServer().getPath();
        SecureChannelWebHandler webHandler = new SecureChannelWebHandler(new SecureChannelWebSocketService(handler.maxMessageSize()), handler);
        SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of(path, webHandler), -1);
        // An explicit CORS policy: with none, WebFlux would not check the Origin of an upgrade at all.
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOriginPatterns(properties.getServer().getAllowedOriginPatterns());
        cors.addAllowedMethod("GET");
        mapping.setCorsConfigurations(Map.of(path, cors));
        return mapping;
    }
}
