package dev.securechannel.autoconfigure;

import dev.securechannel.connection.ConnectionLimits;
import dev.securechannel.connection.ConnectionObserver;
import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.handshake.SessionConfig;
import dev.securechannel.internal.connection.ConnectionRegistry;
import dev.securechannel.internal.server.ServerConnections;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the servlet and reactive endpoint configurations share (imported by both): the
 * connection registry that enforces the {@code secure-channel.server.*} limits, the factory
 * both endpoint handlers make their connections with, and sizing helpers.
 */
@Configuration(proxyBeanMethods = false)
public class ServerSupport {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ConnectionRegistry secureChannelConnectionRegistry(SecureChannelProperties properties) {
        SecureChannelProperties.Server server = properties.getServer();
        return new ConnectionRegistry(new ConnectionLimits(server.getMaxPendingHandshakes(), server.getMaxSessions(),
                server.getIdleTimeout()));
    }

    @Bean
    @ConditionalOnMissingBean
    ServerConnections secureChannelServerConnections(SessionConfig config, SecureChannelHandler handler,
                                                     ObjectProvider<ConnectionObserver> observer, ConnectionRegistry registry) {
        return new ServerConnections(config, handler, observer.getIfAvailable(() -> ConnectionObserver.NONE), registry);
    }

    @Bean
    @ConditionalOnMissingBean
    SecureChannelShutdownLifecycle secureChannelShutdownLifecycle(ConnectionRegistry registry) {
        return new SecureChannelShutdownLifecycle(registry);
    }

    /** The send-buffer limit as an int, never below one maximum-size frame. */
    public static int sendBufferLimit(SecureChannelProperties properties) {
        long limit = Math.max(properties.getServer().getSendBufferLimit().toBytes(), properties.getMaxFrameSize().toBytes() + 64);
        return (int) Math.min(Integer.MAX_VALUE, limit);
    }
}
