package dev.securechannel.bench.websocket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The server stacks {@link WebSocketBenchmark} compares, by the value of its {@code stack}
 * parameter; the soak and the capacity runs start the same ones.
 *
 * <p>Tomcat, Jetty and Reactor Netty are all on the bench classpath. Spring Boot 4.0 then starts
 * Jetty for both web application types (its server auto-configurations carry no order, so the
 * alphabetically first one creates the web server factory), which is not what the servlet or the
 * reactive stack means. Each stack therefore excludes the auto-configurations of the servers it
 * is not, and {@link #start} refuses to run on a server other than the one named.
 */
public enum ServerStack {

    /** Spring WebSocket (JSR-356) on Tomcat; the value predates Jetty and still means Tomcat, so earlier results keep their meaning. */
    SERVLET("servlet", "servlet", TomcatWebServer.class,
            JettyServletWebServerAutoConfiguration.class),
    /** Spring WebSocket (JSR-356) on Jetty. */
    JETTY("jetty", "servlet", JettyWebServer.class,
            TomcatServletWebServerAutoConfiguration.class),
    /** Spring WebFlux on Reactor Netty. */
    REACTIVE("reactive", "reactive", NettyWebServer.class,
            JettyReactiveWebServerAutoConfiguration.class, TomcatReactiveWebServerAutoConfiguration.class);

    private final String param;
    private final String webApplicationType;
    private final Class<? extends WebServer> server;
    private final List<Class<?>> otherServers;

    ServerStack(String param, String webApplicationType, Class<? extends WebServer> server, Class<?>... otherServers) {
        this.param = param;
        this.webApplicationType = webApplicationType;
        this.server = server;
        this.otherServers = List.of(otherServers);
    }

    /** The stack a {@code stack} parameter value names. */
    public static ServerStack of(String param) {
        return Arrays.stream(values()).filter(stack -> stack.param.equals(param)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown stack " + param + "; expected one of "
                        + Arrays.stream(values()).map(stack -> stack.param).toList()));
    }

    /** The value that names this stack: servlet, jetty or reactive. */
    public String param() {
        return param;
    }

    /** The Spring properties that start this stack's server and no other. */
    private List<String> properties() {
        return List.of("spring.main.web-application-type=" + webApplicationType,
                "spring.autoconfigure.exclude=" + otherServers.stream().map(Class::getName).collect(Collectors.joining(",")));
    }

    /**
     * Starts a Spring Boot application from {@code sources} on this stack's server, with
     * {@code properties} besides the stack's own.
     *
     * @throws IllegalStateException if Spring Boot started another server than this stack's
     */
    public ConfigurableApplicationContext start(List<String> properties, Class<?>... sources) {
        List<String> all = new ArrayList<>(properties);
        all.addAll(properties());
        ConfigurableApplicationContext server = new SpringApplicationBuilder(sources).properties(all.toArray(String[]::new)).run();
        try {
            checkRunsOn(((WebServerApplicationContext) server).getWebServer());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Throws unless {@code started} is this stack's server. */
    private void checkRunsOn(WebServer started) {
        if (!server.isInstance(started)) {
            throw new IllegalStateException("stack=" + param + " started " + started.getClass().getName()
                    + " instead of a " + server.getSimpleName());
        }
    }
}
