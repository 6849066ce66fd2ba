package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * Every WebSocket scenario of the servlet stack again, on Jetty: run only by the {@code jetty}
 * surefire execution, whose classpath has Jetty in place of Tomcat, so the same
 * {@link ServerContexts} servlet contexts start Jetty. Bad input, lifecycle, concurrency,
 * the independent client and faults between the peers must behave on Jetty exactly as on Tomcat.
 */
class JettyServletStackTest {

    @Nested
    @ServerContexts.StrictServlet
    class Server {

        @Autowired
        WebServerApplicationContext context;

        @Test
        void theServletStackRunsOnJetty() {
            assertThat(context.getWebServer().getClass().getSimpleName()).containsIgnoringCase("jetty");
        }
    }

    @Nested
    @ServerContexts.StrictServlet
    class RecordLayer extends WebSocketRecordLayerTest.Scenarios {
    }

    @Nested
    @ServerContexts.StrictServlet
    class FrameMapping extends WebSocketFrameMappingTest.Scenarios {
    }

    @Nested
    @ServerContexts.StrictServlet
    class HandshakeAbuse extends WebSocketHandshakeAbuseTest.Scenarios {
    }

    @Nested
    @ServerContexts.DefaultServlet
    class Lifecycle extends WebSocketLifecycleTest.Scenarios {
    }

    @Nested
    @ServerContexts.DefaultServlet
    class Concurrency extends WebSocketConcurrencyTest.Scenarios {
    }

    @Nested
    @ServerContexts.DefaultServlet
    class IndependentClient extends IndependentProtocolClientTest.Conversation {
    }

    @Nested
    @ServerContexts.StrictServlet
    class NetworkFaults extends NetworkFaultTest.Scenarios {
    }
}
