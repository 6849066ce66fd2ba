package dev.securechannel.autoconfigure;

import dev.securechannel.connection.SecureChannelHandler;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a missing {@link SecureChannelHandler} bean, without which the endpoint has nothing
 * to serve. Ordered ahead of Spring Boot's analyzers: Boot's generic one for a missing bean
 * matches the same failure, and analyzers of equal order run in class path order, where
 * Boot's jar usually comes first.
 */
class NoSecureChannelHandlerFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException> implements Ordered {

    @Override
    public int getOrder() {
        // It answers only for SecureChannelHandler, so running first hides no other report.
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
        if (cause.getBeanType() == null || !SecureChannelHandler.class.isAssignableFrom(cause.getBeanType())) {
            return null;
        }
        return new FailureAnalysis(
                "The secure-channel endpoint needs a bean of type " + SecureChannelHandler.class.getName()
                        + " to deliver messages to, and none was found.",
                "Define a SecureChannelHandler bean (its onMessage receives Data and Tensor messages), or set "
                        + "secure-channel.server.enabled=false if this application only uses the client.",
                cause);
    }
}
