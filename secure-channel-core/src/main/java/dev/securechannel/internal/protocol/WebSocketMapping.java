package dev.securechannel.internal.protocol;

import java.util.List;

/** How frames travel over WebSocket (PROTOCOL.md section 7): one frame per binary message, under the {@code cmt.v4} subprotocol. */
public final class WebSocketMapping {

    /** The subprotocol token a client must offer. */
    public static final String SUBPROTOCOL = "cmt.v4";
    /** {@link #SUBPROTOCOL} as a list, for handlers' supported-protocol methods. */
    public static final List<String> SUBPROTOCOLS = List.of(SUBPROTOCOL);
    /** Header carrying the offered subprotocols. */
    public static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";

    private WebSocketMapping() {
    }

    /** Whether a Sec-WebSocket-Protocol header list offers our subprotocol. */
    public static boolean offersSubprotocol(List<String> headerValues) {
        for (String value : headerValues) {
            for (String token : value.split(",")) {
                if (token.trim().equals(SUBPROTOCOL)) {
                    return true;
                }
            }
        }
        return false;
    }
}
