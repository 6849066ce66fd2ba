package dev.securechannel.autoconfigure.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.server.EchoApplication;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * Tomcat's connection cap is raised to the secure channel's limits when it is lower (else
 * Tomcat, not max-sessions with its 1013, would turn clients away, silently), and left alone
 * when it is already high enough.
 */
class TomcatConnectionCapTest {

    private static final String MOCK = "secure-channel.attestation.provider=mock";
    private static final String DEVELOPMENT = "secure-channel.security-profile=development";

    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {DEVELOPMENT, MOCK, "spring.main.web-application-type=servlet", "secure-channel.server.max-sessions=9000",
                "secure-channel.server.max-pending-handshakes=300"})
    class BelowTheLimits {

        @Autowired
        WebServerApplicationContext context;

        @Test
        void tomcatsDefaultCapIsRaisedToTheSessionsAndHandshakesAllowedPlusRoomForOtherRequests() {
            assertThat(maxConnections(context)).isEqualTo(9000 + 300 + SecureChannelServletAutoConfiguration.TomcatConnectionCap.OTHER_CONNECTIONS);
        }
    }

    @Nested
    @SpringBootTest(classes = EchoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {DEVELOPMENT, MOCK, "spring.main.web-application-type=servlet", "secure-channel.server.max-sessions=100",
                "server.tomcat.max-connections=20000"})
    class AlreadyAbove {

        @Autowired
        WebServerApplicationContext context;

        @Test
        void aHigherCapIsLeftAsConfigured() {
            assertThat(maxConnections(context)).isEqualTo(20000);
        }
    }

    private static int maxConnections(WebServerApplicationContext context) {
        TomcatWebServer tomcat = (TomcatWebServer) context.getWebServer();
        return ((AbstractProtocol<?>) tomcat.getTomcat().getConnector().getProtocolHandler()).getMaxConnections();
    }
}
