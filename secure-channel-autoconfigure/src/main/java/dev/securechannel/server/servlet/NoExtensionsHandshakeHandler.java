package dev.securechannel.server.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeFailureException;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Declines every WebSocket extension, permessage-deflate included: frames are ciphertext and
 * do not compress, and compression before encryption would leak plaintext lengths.
 *
 * <p>Filtering Spring's extension list is not enough on Tomcat: given an empty list, Tomcat
 * negotiates its built-in permessage-deflate itself from the request's
 * {@code Sec-WebSocket-Extensions} header. So the upgrade also hides that header from the
 * container.
 */
public class NoExtensionsHandshakeHandler extends DefaultHandshakeHandler {

    private static final String EXTENSIONS_HEADER = "Sec-WebSocket-Extensions";

    public NoExtensionsHandshakeHandler() {
        super(new NoExtensionsUpgradeStrategy());
    }

    @Override
    protected List<WebSocketExtension> filterRequestedExtensions(ServerHttpRequest request,
                                                                 List<WebSocketExtension> requestedExtensions,
                                                                 List<WebSocketExtension> supportedExtensions) {
        return List.of();
    }

    /** The standard (JSR-356) upgrade, with the client's extension offers hidden from the container. */
    private static final class NoExtensionsUpgradeStrategy extends StandardWebSocketUpgradeStrategy {

        @Override
        public void upgrade(ServerHttpRequest request, ServerHttpResponse response, @Nullable String selectedProtocol,
                            List<WebSocketExtension> selectedExtensions, @Nullable Principal user, WebSocketHandler wsHandler,
                            Map<String, Object> attributes) throws HandshakeFailureException {
            ServerHttpRequest withoutOffers = request instanceof ServletServerHttpRequest servlet
                    ? new ServletServerHttpRequest(new WithoutExtensionOffers(servlet.getServletRequest()))
                    : request;
            super.upgrade(withoutOffers, response, selectedProtocol, List.of(), user, wsHandler, attributes);
        }
    }

    /** A request that never shows a {@code Sec-WebSocket-Extensions} header. */
    private static final class WithoutExtensionOffers extends HttpServletRequestWrapper {

        WithoutExtensionOffers(HttpServletRequest request) {
            super(request);
        }

        @Override
        public @Nullable String getHeader(String name) {
            return EXTENSIONS_HEADER.equalsIgnoreCase(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return EXTENSIONS_HEADER.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(EXTENSIONS_HEADER::equalsIgnoreCase);
            return Collections.enumeration(names);
        }
    }
}
