package dev.securechannel.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * An application on the starter without a SecureChannelHandler bean fails to start with the
 * starter's report of what to do, on both web stacks, rather than Spring's generic "required
 * a bean of type" report. The applications list Spring Boot's failure analyzers before the
 * starter's, as an application's class path usually does (in this module's own test run the
 * starter's classes directory comes first, which would hide an ordering mistake).
 */
@ExtendWith(OutputCaptureExtension.class)
class MissingHandlerReportTest {

    @Test
    void theServletStackReportsWhatToDo(CapturedOutput output) {
        assertStartFails(WebApplicationType.SERVLET);
        assertReportSaysWhatToDo(output);
    }

    @Test
    void theReactiveStackReportsWhatToDo(CapturedOutput output) {
        assertStartFails(WebApplicationType.REACTIVE);
        assertReportSaysWhatToDo(output);
    }

    private static void assertReportSaysWhatToDo(CapturedOutput output) {
        assertThat(output).contains("APPLICATION FAILED TO START",
                "The secure-channel endpoint needs a bean of type dev.securechannel.connection.SecureChannelHandler",
                "Define a SecureChannelHandler bean", "secure-channel.server.enabled=false");
        assertThat(output).doesNotContain("that could not be found");
    }

    private static void assertStartFails(WebApplicationType stack) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(ApplicationWithoutHandler.class)
                .web(stack)
                .registerShutdownHook(false)
                .resourceLoader(new DefaultResourceLoader(new LibrariesFirstClassLoader(MissingHandlerReportTest.class.getClassLoader())))
                .properties("server.port=0", "server.address=127.0.0.1", "secure-channel.security-profile=development",
                        "secure-channel.attestation.provider=mock");
        assertThatThrownBy(application::run).isNotNull();
    }

    /** Lists {@code spring.factories} of jars (Spring Boot's) before those of classes directories (this module's). */
    static final class LibrariesFirstClassLoader extends ClassLoader {

        LibrariesFirstClassLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            List<URL> urls = Collections.list(super.getResources(name));
            if (name.equals("META-INF/spring.factories")) {
                urls.sort(Comparator.comparing(url -> url.getProtocol().equals("file")));
            }
            return Collections.enumeration(urls);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ApplicationWithoutHandler {
    }
}
