package dev.securechannel.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The four servers the WebSocket integration tests run against, as composed annotations so
 * that every test class using one shares a single cached application context.
 *
 * <p>"Strict" servers have small limits that attacks can reach quickly: a 64 KiB frame cap,
 * a 1.5 s handshake timeout and at most 4 pending handshakes. "Default" servers keep the
 * shipped limits (30 s handshake timeout, 256 pending handshakes), so that a handshake timeout
 * can never hide a leaked connection and 50 concurrent handshakes are admitted.
 */
final class ServerContexts {

    static final String STRICT_MAX_FRAME_SIZE = "secure-channel.max-frame-size=64KB";
    static final String STRICT_HANDSHAKE_TIMEOUT = "secure-channel.handshake-timeout=1500ms";
    static final String STRICT_PENDING_HANDSHAKES = "secure-channel.server.max-pending-handshakes=4";
    static final String DEVELOPMENT = "secure-channel.security-profile=development";
    static final String MOCK = "secure-channel.attestation.provider=mock";
    static final String SERVLET = "spring.main.web-application-type=servlet";
    static final String REACTIVE = "spring.main.web-application-type=reactive";

    /** The strict limits' frame cap in bytes (payload_len, ciphertext and tag). */
    static final int STRICT_FRAME_CAP = 64 * 1024;
    /** The strict limits' pending-handshake cap. */
    static final int STRICT_MAX_PENDING_HANDSHAKES = 4;

    private ServerContexts() {
    }

    /** The servlet stack (Tomcat; Jetty in the {@code jetty} run) with the strict limits. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @SpringBootTest(classes = {RecordingEchoServer.class, RecordingEchoHandler.class, RecordingObserver.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {DEVELOPMENT, MOCK, SERVLET, STRICT_MAX_FRAME_SIZE, STRICT_HANDSHAKE_TIMEOUT, STRICT_PENDING_HANDSHAKES})
    @interface StrictServlet {
    }

    /** Reactor Netty with the strict limits. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @SpringBootTest(classes = {RecordingEchoServer.class, RecordingEchoHandler.class, RecordingObserver.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {DEVELOPMENT, MOCK, REACTIVE, STRICT_MAX_FRAME_SIZE, STRICT_HANDSHAKE_TIMEOUT, STRICT_PENDING_HANDSHAKES})
    @interface StrictReactorNetty {
    }

    /** The servlet stack (Tomcat; Jetty in the {@code jetty} run) with the shipped limits. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @SpringBootTest(classes = {RecordingEchoServer.class, RecordingEchoHandler.class, RecordingObserver.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {DEVELOPMENT, MOCK, SERVLET})
    @interface DefaultServlet {
    }

    /** Reactor Netty with the shipped limits. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @SpringBootTest(classes = {RecordingEchoServer.class, RecordingEchoHandler.class, RecordingObserver.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {DEVELOPMENT, MOCK, REACTIVE})
    @interface DefaultReactorNetty {
    }
}
