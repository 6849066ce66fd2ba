package dev.securechannel.sample;

import static dev.securechannel.sample.EmbeddingClients.embed;
import static dev.securechannel.sample.EmbeddingClients.floats;
import static dev.securechannel.sample.EmbeddingClients.norm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.securechannel.client.ClientSession;
import dev.securechannel.protocol.Tensor;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The real all-MiniLM-L6-v2 model, served by the app on a random port, used as a client would:
 * over a real WebSocket with the core's client, and over {@code POST /embed}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class EmbeddingOverSecureChannelTest {

    @LocalServerPort
    int port;

    private EmbeddingClients clients;

    @BeforeAll
    void connect() {
        clients = new EmbeddingClients(port);
    }

    @AfterAll
    void close() {
        clients.close();
    }

    @Test
    void oneSentenceIsAnF32TensorOfShape384WithUnitNorm() throws Exception {
        try (ClientSession session = clients.connect()) {
            Tensor embedding = embed(session, "A secure channel carries the sentence to the model.");

            assertThat(embedding.shape()).containsExactly(384);
            assertThat(norm(embedding.toFloatArray())).isCloseTo(1.0, within(1e-3));
        }
    }

    @Test
    void relatedSentencesScoreAHigherCosineSimilarityThanUnrelatedOnes() throws Exception {
        try (ClientSession session = clients.connect()) {
            float[] cat = embed(session, "A cat is sleeping on the sofa.").toFloatArray();
            float[] kitten = embed(session, "A kitten naps on the couch.").toFloatArray();
            float[] stocks = embed(session, "The central bank raised interest rates again.").toFloatArray();

            double related = EmbedClient.cosine(cat, kitten);
            double unrelated = EmbedClient.cosine(cat, stocks);
            assertThat(related).isGreaterThan(unrelated + 0.3);
            assertThat(related).isGreaterThan(0.5);
        }
    }

    @Test
    void restAndSecureChannelReturnTheSameVectorForTheSameText() throws Exception {
        String sentence = "Both doors lead to the same model.";
        float[] overSecureChannel = clients.embedOverSecureChannel(sentence);

        HttpResponse<String> response = clients.postEmbed("{\"texts\": [\"" + sentence + "\"]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = EmbeddingClients.JSON.readTree(response.body());
        assertThat(body.at("/dimension").asInt()).isEqualTo(384);
        assertThat(body.at("/count").asInt()).isEqualTo(1);
        assertThat(body.at("/inferenceMillis").asDouble()).isPositive();
        assertThat(floats(body.at("/embeddings/0"))).containsExactly(overSecureChannel, within(1e-6f));
    }

    @Test
    void restAcceptsOneTextWithOneSentencePerLineLikeADataFrame() throws Exception {
        HttpResponse<String> response = clients.postEmbed("{\"text\": \"First line.\\nSecond line.\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = EmbeddingClients.JSON.readTree(response.body());
        assertThat(body.at("/count").asInt()).isEqualTo(2);
        assertThat(floats(body.at("/embeddings/1"))).containsExactly(clients.embedOverSecureChannel("Second line."), within(1e-6f));
    }

    @Test
    void severalLinesGiveOneTensorOfShapeNBy384WhoseRowsAreThePerLineEmbeddings() throws Exception {
        List<String> lines = List.of("The first sentence is about the sea.", "The second one is about mountains.",
                "And the third is about a quiet library.");
        try (ClientSession session = clients.connect()) {
            Tensor batch = embed(session, String.join("\n", lines) + "\n");

            assertThat(batch.shape()).containsExactly(3, 384);
            float[] rows = batch.toFloatArray();
            for (int i = 0; i < lines.size(); i++) {
                float[] single = embed(session, lines.get(i)).toFloatArray();
                float[] row = Arrays.copyOfRange(rows, i * 384, (i + 1) * 384);
                assertThat(row).as("row %d", i).containsExactly(single, within(1e-5f));
            }
        }
    }

    @Test
    void blankLinesAndWindowsLineEndsDoNotBecomeSentences() throws Exception {
        try (ClientSession session = clients.connect()) {
            Tensor batch = embed(session, "\r\nOne.\r\n\r\n   \r\nTwo.\r\n");
            float[] two = embed(session, "Two.").toFloatArray();

            assertThat(batch.shape()).containsExactly(2, 384);
            assertThat(Arrays.copyOfRange(batch.toFloatArray(), 384, 768)).containsExactly(two, within(1e-5f));
        }
    }
}
