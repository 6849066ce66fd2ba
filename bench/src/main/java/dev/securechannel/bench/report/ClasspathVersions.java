package dev.securechannel.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Versions of the libraries the benchmarks ran with, read from this (the bench) classpath:
 * the report generator runs from the same jar as the benchmarks.
 */
final class ClasspathVersions {

    private static final String ABSENT = "not on the classpath";

    private ClasspathVersions() {
    }

    /** Spring Boot, then the servlet stacks (Tomcat, Jetty) and the reactive stack (Reactor Netty on Netty). */
    static Map<String, String> read() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("Spring Boot", safely(org.springframework.boot.SpringBootVersion::getVersion));
        versions.put("Servlet stack", safely(org.apache.catalina.util.ServerInfo::getServerInfo) + " (stack=servlet); Jetty "
                + safely(() -> org.eclipse.jetty.util.Jetty.VERSION) + " (stack=jetty)");
        String netty = safely(ClasspathVersions::netty);
        String reactorBom = buildProperty("reactor-bom");
        versions.put("Reactive stack", "Reactor Netty (Reactor BOM " + reactorBom + "), Netty " + netty + " (stack=reactive)");
        return versions;
    }

    private static String netty() {
        Map<String, io.netty.util.Version> all = io.netty.util.Version.identify();
        for (String artifact : new String[] {"netty-common", "netty-codec-http", "netty-transport"}) {
            if (all.containsKey(artifact)) {
                return all.get(artifact).artifactVersion();
            }
        }
        return all.isEmpty() ? "unknown" : all.values().iterator().next().artifactVersion();
    }

    /** A value recorded at build time in {@code build-versions.properties} (Maven resource filtering). */
    private static String buildProperty(String key) {
        Properties properties = new Properties();
        try (InputStream in = ClasspathVersions.class.getResourceAsStream("build-versions.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String value = properties.getProperty(key, "unknown");
        return value.startsWith("@") ? "unknown" : value;
    }

    private static String safely(Supplier<String> version) {
        try {
            String value = version.get();
            return value == null ? "unknown" : value;
        } catch (LinkageError | RuntimeException e) {
            return ABSENT;
        }
    }
}
