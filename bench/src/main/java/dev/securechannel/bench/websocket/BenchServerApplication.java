package dev.securechannel.bench.websocket;

import dev.securechannel.connection.SecureChannelHandler;
import dev.securechannel.internal.protocol.WebSocketMapping;
import dev.securechannel.session.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.WebHandler;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.SubProtocolCapable;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import reactor.core.publisher.Flux;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The server both WebSocket benchmarks talk to: the secure-channel endpoint at
 * {@code /secure-channel} and a plain binary WebSocket endpoint at {@code /plain} on the same
 * stack, answering the same {@link BenchCommands}. {@link #start} runs it on one
 * {@link ServerStack}: Tomcat, Jetty or Reactor Netty.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BenchServerApplication {

    /** Largest message either endpoint accepts: 32 MiB, so no benchmark size is refused. */
    static final int MAX_MESSAGE = 32 * 1024 * 1024;

    /**
     * Starts the server on a free port with mock attestation and a 32 MiB frame cap.
     *
     * @throws IllegalStateException if Spring Boot started another server than the stack's
     */
    static ConfigurableApplicationContext start(ServerStack stack) {
        return stack.start(List.of("server.port=0", "spring.main.banner-mode=off", "logging.level.root=warn",
                "secure-channel.security-profile=development", "secure-channel.attestation.provider=mock",
                "secure-channel.max-frame-size=32MB", "secure-channel.server.idle-timeout=0"), BenchServerApplication.class);
    }

    @Bean
    SecureChannelHandler benchSecureHandler() {
        return (connection, message) -> {
            if (message instanceof Message.Data data) {
                BenchCommands.handle(data.payload(), connection::send);
            }
        };
    }

    /** The plain endpoint on the servlet stacks (Tomcat and Jetty). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @EnableWebSocket
    static class PlainServlet {

        /**
         * The standard (JSR-356) upgrade, named rather than left to the default: it is the one the
         * secure endpoint uses and works on Tomcat and Jetty alike (Spring 7's default is the same,
         * older versions picked a container-specific upgrade from the classpath, Tomcat's first).
         */
        @Bean
        WebSocketConfigurer plainEndpoint() {
            return registry -> registry.addHandler(new PlainServletHandler(), "/plain")
                    .setHandshakeHandler(new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy()));
        }
    }

    static final class PlainServletHandler extends BinaryWebSocketHandler implements SubProtocolCapable {

        @Override
        public void afterConnectionEstablished(WebSocketSession session) {
            session.setBinaryMessageSizeLimit(MAX_MESSAGE);
        }

        @Override
        protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
            java.nio.ByteBuffer payload = message.getPayload();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            BenchCommands.handle(bytes, reply -> session.sendMessage(new BinaryMessage(reply)));
        }

        @Override
        public List<String> getSubProtocols() {
            return WebSocketMapping.SUBPROTOCOLS;
        }
    }

    /** The plain endpoint on the reactive stack. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class PlainReactive {

        @Bean
        HandlerMapping plainEndpoint() {
            HandshakeWebSocketService service = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                    () -> WebsocketServerSpec.builder().maxFramePayloadLength(MAX_MESSAGE)));
            WebSocketHandler handler = new WebSocketHandler() {
                @Override
                public reactor.core.publisher.Mono<Void> handle(org.springframework.web.reactive.socket.WebSocketSession session) {
                    return session.send(session.receive().concatMap(message -> {
                        byte[] bytes = new byte[message.getPayload().readableByteCount()];
                        message.getPayload().read(bytes);
                        List<byte[]> replies = new java.util.ArrayList<>();
                        try {
                            BenchCommands.handle(bytes, replies::add);
                        } catch (Exception e) {
                            return Flux.error(e);
                        }
                        return Flux.fromIterable(replies).map(reply -> session.binaryMessage(factory -> factory.wrap(reply)));
                    }));
                }

                @Override
                public List<String> getSubProtocols() {
                    return WebSocketMapping.SUBPROTOCOLS;
                }
            };
            WebHandler upgrade = exchange -> service.handleRequest(exchange, handler);
            return new SimpleUrlHandlerMapping(Map.of("/plain", upgrade), -2);
        }
    }
}
