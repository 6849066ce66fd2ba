package dev.securechannel.sample;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The model, the bounded executor it runs on, and the secure-channel handler that uses both.
 * The model is loaded from its jar and warmed with one embedding while the context starts, so
 * the first client does not pay for it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InferenceProperties.class)
public class InferenceConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceConfiguration.class);

    /**
     * all-MiniLM-L6-v2 on ONNX Runtime. Its own executor is the calling thread: a request's
     * sentences then run on the inference thread that took the request, so the inference
     * executor's bound is the only limit on model work.
     */
    @Bean
    EmbeddingModel embeddingModel() {
        return new AllMiniLmL6V2EmbeddingModel(Runnable::run);
    }

    @Bean
    SentenceEmbedder sentenceEmbedder(EmbeddingModel embeddingModel, MeterRegistry meterRegistry) {
        SentenceEmbedder embedder = new SentenceEmbedder(embeddingModel, meterRegistry);
        Duration warmUp = embedder.warmUp();
        LOG.info("all-MiniLM-L6-v2 loaded and warmed up (first embedding took {} ms)", warmUp.toMillis());
        return embedder;
    }

    @Bean
    InferenceExecutor inferenceExecutor(InferenceProperties properties) {
        return new InferenceExecutor(properties.getThreads(), properties.getQueueCapacity());
    }

    @Bean
    EmbeddingHandler embeddingHandler(SentenceEmbedder sentenceEmbedder, InferenceExecutor inferenceExecutor,
                                      InferenceProperties properties) {
        return new EmbeddingHandler(sentenceEmbedder, inferenceExecutor::execute, properties.getMaxQueuedPerSession());
    }
}
