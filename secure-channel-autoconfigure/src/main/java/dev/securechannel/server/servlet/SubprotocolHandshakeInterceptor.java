package dev.securechannel.server.servlet;

import dev.securechannel.internal.protocol.WebSocketMapping;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/** Refuses the WebSocket upgrade (400) unless the client offers the {@code cmt.v4} subprotocol. */
public class SubprotocolHandshakeInterceptor implements HandshakeInterceptor {

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
                                   Map<String, Object> attributes) {
        List<String> offered = request.getHeaders().getOrEmpty(WebSocketMapping.PROTOCOL_HEADER);
        if (WebSocketMapping.offersSubprotocol(offered)) {
            return true;
        }
        response.setStatusCode(HttpStatus.BAD_REQUEST);
        return false;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
                               Exception exception) {
    }
}
