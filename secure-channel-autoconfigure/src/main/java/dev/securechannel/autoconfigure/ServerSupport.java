package dev.securechannel.autoconfigure;

import dev.securechannel.connection.ConnectionLimits;
import dev.securechannel.connection.ConnectionRegistry;

/** What the servlet and reactive endpoint configurations share. */
public final class ServerSupport {

    private ServerSupport() {
    }

    /** A registry enforcing the {@code secure-channel.server.*} limits. */
    public static ConnectionRegistry registry(SecureChannelProperties properties) {
        SecureChannelProperties.Server server = properties.getServer();
        return new ConnectionRegistry(new ConnectionLimits(server.getMaxPendingHandshakes(), server.getMaxSessions(),
                server.getIdleTimeout()));
    }

    /** The send-buffer limit as an int, never below one maximum-size frame. */
    public static int sendBufferLimit(SecureChannelProperties properties) {
        long limit = Math.max(properties.getServer().getSendBufferLimit().toBytes(), properties.getMaxFrameSize().toBytes() + 64);
        return (int) Math.min(Integer.MAX_VALUE, limit);
    }
}
