package dev.securechannel.server;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;

/**
 * The server application of the WebSocket integration tests: the auto-configured endpoint
 * (servlet or reactive, chosen by {@code spring.main.web-application-type}) serving
 * {@link RecordingEchoHandler} and reporting to {@link RecordingObserver}.
 *
 * <p>Tests list all three in {@code @SpringBootTest(classes = ...)} (see {@link ServerContexts}):
 * this class is a {@link TestConfiguration}, so the component scan of the other test
 * applications in this package (such as {@code EchoApplication}) never picks it up, and the two
 * plain classes beside it register the beans and stop Spring Boot from searching for (and adding)
 * a {@code @SpringBootConfiguration}, which it does when only test configurations are given.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class RecordingEchoServer {
}
