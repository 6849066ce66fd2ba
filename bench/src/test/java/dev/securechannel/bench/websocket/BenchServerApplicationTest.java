package dev.securechannel.bench.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.securechannel.client.WebSocketConnector;
import dev.securechannel.client.netty.ReactorNettyWebSocketConnector;
import dev.securechannel.internal.client.JdkWebSocketConnector;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The benchmark server on each stack: the server the stack names starts (Tomcat, Jetty and
 * Reactor Netty are all on this classpath), and a 1 MiB message, far above the containers'
 * defaults, travels both ways through the plain and the secure endpoint with either client.
 */
@Timeout(120)
class BenchServerApplicationTest {

    private static final int ONE_MEBIBYTE = 1024 * 1024;

    @ParameterizedTest
    @EnumSource(ServerStack.class)
    void eachStackRunsItsOwnServerAndCarriesOneMebibyteMessages(ServerStack stack) throws Exception {
        try (ConfigurableApplicationContext server = BenchServerApplication.start(stack)) {
            WebServer webServer = ((WebServerApplicationContext) server).getWebServer();
            assertThat(webServer.getClass().getSimpleName()).startsWith(switch (stack) {
                case SERVLET -> "Tomcat";
                case JETTY -> "Jetty";
                case REACTIVE -> "Netty";
            });

            byte[] message = new byte[ONE_MEBIBYTE];
            Arrays.fill(message, (byte) 0x5a);
            message[0] = BenchCommands.ECHO;
            List<Supplier<WebSocketConnector>> connectors = List.of(JdkWebSocketConnector::new, ReactorNettyWebSocketConnector::new);
            for (Supplier<WebSocketConnector> connector : connectors) {
                String base = "ws://127.0.0.1:" + webServer.getPort();
                try (WebSocketBenchmark.Endpoint plain = new WebSocketBenchmark.PlainEndpoint(URI.create(base + "/plain"), connector.get())) {
                    assertThat(plain.request(message)).as("plain echo on %s", stack).isEqualTo(message);
                }
                try (WebSocketBenchmark.Endpoint secure = new WebSocketBenchmark.SecureEndpoint(URI.create(base + "/secure-channel"), connector.get())) {
                    assertThat(secure.request(message)).as("secure echo on %s", stack).isEqualTo(message);
                }
            }
        }
    }
}
