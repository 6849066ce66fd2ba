package dev.securechannel.sample;

import static dev.securechannel.sample.EmbeddingClients.TIMEOUT;
import static dev.securechannel.sample.EmbeddingClients.embed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.securechannel.client.ClientSession;
import dev.securechannel.protocol.DType;
import dev.securechannel.protocol.Tensor;
import dev.securechannel.session.Message;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Input the service cannot embed is answered with an Error frame (or HTTP 400) that says what
 * is wrong, and the session that sent it goes on answering good requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class BadInputTest {

    private static final byte[] INVALID_UTF8 = {'c', 'a', 'f', (byte) 0xC3, '!', (byte) 0xFF};

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
    void emptyInputGetsAnErrorAndTheSessionStillAnswers() throws Exception {
        assertRefusedThenStillServing(new byte[0], "empty input");
    }

    @Test
    void onlyBlankLinesCountAsEmptyInput() throws Exception {
        assertRefusedThenStillServing(" \n\t\r\n".getBytes(StandardCharsets.UTF_8), "empty input");
    }

    @Test
    void invalidUtf8GetsAnErrorAndTheSessionStillAnswers() throws Exception {
        assertRefusedThenStillServing(INVALID_UTF8, "not valid UTF-8");
    }

    @Test
    void inputOver8KiBGetsAnErrorAndTheSessionStillAnswers() throws Exception {
        byte[] oversized = "word ".repeat(1700).getBytes(StandardCharsets.UTF_8);
        assertThat(oversized.length).isGreaterThan(8 * 1024);

        assertRefusedThenStillServing(oversized, "too large");
    }

    @Test
    void inputOfExactly8KiBIsEmbedded() throws Exception {
        byte[] limit = "a".repeat(8 * 1024).getBytes(StandardCharsets.UTF_8);
        try (ClientSession session = clients.connect()) {
            Message reply = session.request(limit, TIMEOUT);

            assertThat(reply).isInstanceOf(Message.TensorMessage.class);
        }
    }

    @Test
    void aTensorFrameGetsAnErrorAndTheSessionStillAnswers() throws Exception {
        try (ClientSession session = clients.connect()) {
            Message reply = session.request(Tensor.ofFloats("input_ids", new long[] {1, 3}, new float[] {1, 2, 3}), TIMEOUT);

            assertThat(reply).isInstanceOf(Message.Error.class);
            assertThat(((Message.Error) reply).reason()).contains("tensor input is not accepted", "input_ids", "Data frame");
            assertStillServing(session);
        }
    }

    @Test
    void severalBadRequestsInARowAreEachAnsweredInOrder() throws Exception {
        try (ClientSession session = clients.connect()) {
            session.send(new byte[0]);
            session.sendTensor(Tensor.of("x", DType.U8, new long[] {2}, new byte[] {1, 2}));
            session.send(INVALID_UTF8);
            session.send("Still here.".getBytes(StandardCharsets.UTF_8));

            assertThat(((Message.Error) session.receive(TIMEOUT)).reason()).contains("empty input");
            assertThat(((Message.Error) session.receive(TIMEOUT)).reason()).contains("tensor input");
            assertThat(((Message.Error) session.receive(TIMEOUT)).reason()).contains("UTF-8");
            assertThat(session.receive(TIMEOUT)).isInstanceOf(Message.TensorMessage.class);
        }
    }

    @Test
    void aSessionThatKeepsSendingWithoutReadingRepliesIsToldWhyAndShutDown() throws Exception {
        // Twenty sentences a request keep the model busy far longer than sending forty requests takes.
        byte[] slow = "A sentence that keeps the model busy for a while.\n".repeat(20).getBytes(StandardCharsets.UTF_8);
        try (ClientSession session = clients.connect()) {
            for (int i = 0; i < 40; i++) {
                session.send(slow);
            }

            String refusal = null;
            for (int i = 0; i < 40 && refusal == null; i++) {
                if (session.receive(TIMEOUT) instanceof Message.Error error) {
                    refusal = error.reason();
                }
            }
            assertThat(refusal).contains("too many requests in flight");
            await().atMost(Duration.ofSeconds(10)).until(() -> !session.isOpen());
        }
    }

    @Test
    void restAnswersBadInputWith400AndAClearMessage() throws Exception {
        assertBadRequest(clients.postEmbed("{\"texts\": []}"), "empty input");
        assertBadRequest(clients.postEmbed("{\"text\": \"\"}"), "empty input");
        assertBadRequest(clients.postEmbed("{\"texts\": [\"fine\", \" \"]}"), "text 1 is blank");
        assertBadRequest(clients.postEmbed(new byte[0]), "empty input");
        assertBadRequest(clients.postEmbed("{\"text\": \"" + "word ".repeat(1700) + "\"}"), "too large");
        assertBadRequest(clients.postEmbed(jsonWithText(INVALID_UTF8)), "not valid UTF-8");
        assertBadRequest(clients.postEmbed("not json"), "not JSON");
        assertBadRequest(clients.postEmbed("{\"text\": \"a\", \"texts\": [\"b\"]}"), "exactly one of");
        assertBadRequest(clients.postEmbed("{\"texts\": [1, 2]}"), "array of strings");
    }

    private void assertRefusedThenStillServing(byte[] payload, String expectedReason) throws Exception {
        try (ClientSession session = clients.connect()) {
            Message reply = session.request(payload, TIMEOUT);

            assertThat(reply).isInstanceOf(Message.Error.class);
            assertThat(((Message.Error) reply).reason()).contains(expectedReason);
            assertStillServing(session);
        }
    }

    private static void assertStillServing(ClientSession session) throws Exception {
        assertThat(session.isOpen()).isTrue();
        assertThat(embed(session, "The session is still usable.").shape()).containsExactly(384);
    }

    private static void assertBadRequest(HttpResponse<String> response, String expectedMessage) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(EmbeddingClients.JSON.readTree(response.body()).at("/error").asString()).contains(expectedMessage);
    }

    private static byte[] jsonWithText(byte[] text) {
        byte[] prefix = "{\"text\": \"".getBytes(StandardCharsets.US_ASCII);
        byte[] json = Arrays.copyOf(prefix, prefix.length + text.length + 2);
        System.arraycopy(text, 0, json, prefix.length, text.length);
        json[json.length - 2] = '"';
        json[json.length - 1] = '}';
        return json;
    }
}
