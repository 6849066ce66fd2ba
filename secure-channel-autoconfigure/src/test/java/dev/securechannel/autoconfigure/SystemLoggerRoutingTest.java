package dev.securechannel.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The core logs through {@code System.Logger}, which without a bridge is java.util.logging
 * and its two-line console format. In a Spring Boot application (the starter brings
 * {@code jul-to-slf4j}) those lines go through SLF4J to Logback, in the application's format,
 * and {@code logging.level.dev.securechannel} sets their level.
 */
@ExtendWith(OutputCaptureExtension.class)
class SystemLoggerRoutingTest {

    @Test
    void theCoresSystemLoggerLinesAreLogbackLinesAtTheConfiguredLevel(CapturedOutput output) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(NoBeans.class)
                .web(WebApplicationType.NONE)
                .properties("logging.level.dev.securechannel.routing=debug")
                .run();
        // Boot removes its bridge when the context closes: log while it runs.
        try {
            System.Logger logger = System.getLogger("dev.securechannel.routing.Probe");
            logger.log(System.Logger.Level.WARNING, "routing probe warning");
            logger.log(System.Logger.Level.DEBUG, "routing probe debug");
        } finally {
            context.close();
        }

        assertThat(lineWith(output, "routing probe warning")).contains(" WARN ").contains("dev.securechannel.routing.Probe");
        assertThat(lineWith(output, "routing probe debug")).contains("DEBUG");
        assertThat(output.getAll()).doesNotContain("WARNING: routing probe warning");
    }

    private static String lineWith(CapturedOutput output, String text) {
        return Arrays.stream(output.getAll().split("\\R")).filter(line -> line.contains(text)).findFirst().orElseThrow();
    }

    /** An application with nothing in it: only Boot's logging system matters here. */
    @Configuration(proxyBeanMethods = false)
    static class NoBeans {
    }
}
