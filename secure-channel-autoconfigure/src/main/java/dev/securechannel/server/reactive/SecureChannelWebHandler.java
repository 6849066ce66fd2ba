package dev.securechannel.server.reactive;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * Binds the endpoint's own upgrade service to its handler, so the endpoint's limits and
 * subprotocol rule never leak into the application's other WebSocket endpoints.
 */
public class SecureChannelWebHandler implements WebHandler {

    private final SecureChannelWebSocketService service;
    private final SecureChannelReactiveHandler handler;

    public SecureChannelWebHandler(SecureChannelWebSocketService service, SecureChannelReactiveHandler handler) {
        this.service = service;
        this.handler = handler;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        return service.handleRequest(exchange, handler);
    }
}
