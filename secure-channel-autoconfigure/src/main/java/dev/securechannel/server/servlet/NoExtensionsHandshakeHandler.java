package dev.securechannel.server.servlet;

import java.util.List;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Declines every WebSocket extension, permessage-deflate included: frames are ciphertext and
 * do not compress, and compression before encryption would leak plaintext lengths.
 */
public class NoExtensionsHandshakeHandler extends DefaultHandshakeHandler {

    @Override
    protected List<WebSocketExtension> filterRequestedExtensions(ServerHttpRequest request,
                                                                 List<WebSocketExtension> requestedExtensions,
                                                                 List<WebSocketExtension> supportedExtensions) {
        return List.of();
    }
}
