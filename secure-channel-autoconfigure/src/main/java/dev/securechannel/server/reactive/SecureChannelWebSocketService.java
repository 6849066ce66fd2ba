package dev.securechannel.server.reactive;

import dev.securechannel.internal.protocol.WebSocketMapping;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The WebSocket upgrade for the secure-channel endpoint on Reactor Netty: refuses (400) a
 * client that does not offer {@code cmt.v4}, sizes Reactor Netty's frame limit to the frame
 * cap (its own default of 64 KiB would close bigger frames with 1009), and leaves
 * compression off.
 */
public class SecureChannelWebSocketService extends HandshakeWebSocketService {

    /** An upgrade service accepting messages up to {@code maxMessageSize} bytes. */
    public SecureChannelWebSocketService(int maxMessageSize) {
        super(new ReactorNettyRequestUpgradeStrategy(specification(maxMessageSize)));
    }

    private static Supplier<WebsocketServerSpec.Builder> specification(int maxMessageSize) {
        return () -> WebsocketServerSpec.builder().maxFramePayloadLength(maxMessageSize).compress(false);
    }

    @Override
    public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
        if (!WebSocketMapping.offersSubprotocol(
                exchange.getRequest().getHeaders().getOrEmpty(WebSocketMapping.PROTOCOL_HEADER))) {
            exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
            return exchange.getResponse().setComplete();
        }
        return super.handleRequest(exchange, handler);
    }
}
