package dev.securechannel.autoconfigure.servlet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Says at startup why a servlet web application on the starter serves no secure-channel
 * endpoint: without WebSocket support on the class path {@link SecureChannelServletAutoConfiguration}
 * backs off, and the endpoint's path would otherwise answer 404 with nothing logged. Active in
 * exactly that case: a servlet web application, the endpoint enabled, WebSocket classes missing.
 */
@AutoConfiguration(after = SecureChannelServletAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "secure-channel.server.enabled", matchIfMissing = true)
@Conditional(SecureChannelServletWithoutWebSocketAutoConfiguration.WebSocketMissing.class)
public final class SecureChannelServletWithoutWebSocketAutoConfiguration {

    private static final Log LOG = LogFactory.getLog(SecureChannelServletWithoutWebSocketAutoConfiguration.class);

    @Bean
    SmartInitializingSingleton secureChannelMissingWebSocketWarning(Environment environment) {
        // Once per context, after the singletons exist: a bean of its own rather than a log line
        // in a condition, which Boot may evaluate more than once.
        return () -> LOG.warn("secure-channel: no endpoint at " + environment.getProperty("secure-channel.server.path", "/secure-channel")
                + ": this servlet web application has no WebSocket support (Spring WebSocket and a jakarta.websocket "
                + "container). Add the dependency org.springframework.boot:spring-boot-starter-websocket, or set "
                + "secure-channel.server.enabled=false if this application only uses the client.");
    }

    /** Matches unless both Spring WebSocket and the Jakarta WebSocket server API are present. */
    static final class WebSocketMissing extends NoneNestedConditions {

        WebSocketMissing() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnClass(name = {"org.springframework.web.socket.config.annotation.WebSocketConfigurer",
            "jakarta.websocket.server.ServerContainer"})
        static final class WebSocketPresent {
        }
    }
}
