package dev.securechannel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.securechannel.client.ClientSession;
import dev.securechannel.client.SecureChannelClient;
import dev.securechannel.connection.CloseReason;
import dev.securechannel.session.Message;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrency over WebSocket on Tomcat and on Reactor Netty: many threads sending on one
 * session, and many sessions at once, with the recording echo handler.
 *
 * <p>CONFORMANCE cases: N17 (concurrent {@code send()} from 8 threads on one session: every
 * frame delivered exactly once, in each thread's order; the server's strict sequence check
 * would close the session with 1008 on any reordering or reused sequence number), G5 (many
 * concurrent connections, here 50 sessions open at the same time, each getting its own
 * replies).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WebSocketConcurrencyTest {

    @Nested
    @ServerContexts.DefaultServlet
    class Tomcat extends Scenarios {
    }

    @Nested
    @ServerContexts.DefaultReactorNetty
    class ReactorNetty extends Scenarios {
    }

    abstract static class Scenarios extends EndpointScenarioSupport {

        @Test
        void eightThreadsSendingOnOneSessionHaveEveryFrameDeliveredOnceInEachThreadsOrder() throws Exception {
            int threads = 8;
            int perThread = 200;
            ExecutorService senders = Executors.newFixedThreadPool(threads);
            try (SecureChannelClient client = SecureChannelClient.builder(endpoint(), CLIENT_CONFIG).build();
                 ClientSession session = client.connect()) {
                CyclicBarrier start = new CyclicBarrier(threads);
                List<CompletableFuture<Void>> sending = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    sending.add(CompletableFuture.runAsync(() -> {
                        try {
                            start.await(5, TimeUnit.SECONDS);
                            for (int i = 0; i < perThread; i++) {
                                session.send((thread + ":" + i).getBytes(StandardCharsets.UTF_8));
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, senders));
                }
                List<String> echoed = new ArrayList<>();
                for (int i = 0; i < threads * perThread; i++) {
                    echoed.add(((Message.Data) session.receive(RawWebSocketPeer.WAIT)).text());
                }
                CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

                assertEveryMessageOnceInEachThreadsOrder(echoed, threads, perThread);
                assertEveryMessageOnceInEachThreadsOrder(application.deliveredTexts(), threads, perThread);
                assertThat(session.isOpen()).isTrue();
            } finally {
                senders.shutdownNow();
            }
            assertThat(awaitApplicationClose()).isEqualTo(CloseReason.clean());
        }

        @Test
        void fiftySessionsOpenAtTheSameTimeEachGetTheirOwnReplies() throws Exception {
            int sessions = 50;
            int requests = 5;
            ExecutorService clients = Executors.newFixedThreadPool(sessions);
            try (SecureChannelClient client = SecureChannelClient.builder(endpoint(), CLIENT_CONFIG).build()) {
                // A client is established once it has sent its confirmation; the server a moment later.
                CyclicBarrier allOpen = new CyclicBarrier(sessions, () -> await("sessions open at once on the server")
                        .atMost(RawWebSocketPeer.WAIT).until(() -> registry.openSessions() == sessions));
                List<CompletableFuture<List<String>>> running = new ArrayList<>();
                for (int s = 0; s < sessions; s++) {
                    int id = s;
                    running.add(CompletableFuture.supplyAsync(() -> {
                        try (ClientSession session = client.connect()) {
                            allOpen.await(20, TimeUnit.SECONDS);
                            List<String> replies = new ArrayList<>();
                            for (int r = 0; r < requests; r++) {
                                String request = "session " + id + " request " + r;
                                replies.add(((Message.Data) session.request(request.getBytes(StandardCharsets.UTF_8),
                                        RawWebSocketPeer.WAIT)).text());
                            }
                            return replies;
                        } catch (Exception e) {
                            throw new IllegalStateException("session " + id, e);
                        }
                    }, clients));
                }
                for (int s = 0; s < sessions; s++) {
                    List<String> expected = new ArrayList<>();
                    for (int r = 0; r < requests; r++) {
                        expected.add("session " + s + " request " + r);
                    }
                    assertThat(running.get(s).get(25, TimeUnit.SECONDS)).containsExactlyElementsOf(expected);
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(application.deliveries()).hasSize(sessions * requests);
            awaitNoConnectionLeft();
            assertThat(application.closeReasons()).hasSize(sessions).allMatch(CloseReason::isClean);
        }

        private static void assertEveryMessageOnceInEachThreadsOrder(List<String> messages, int threads, int perThread) {
            assertThat(messages).hasSize(threads * perThread).doesNotHaveDuplicates();
            Map<Integer, Integer> next = new HashMap<>();
            for (String message : messages) {
                String[] parts = message.split(":");
                int thread = Integer.parseInt(parts[0]);
                int counter = Integer.parseInt(parts[1]);
                assertThat(counter).as("next message of thread %d", thread).isEqualTo(next.getOrDefault(thread, 0));
                next.put(thread, counter + 1);
            }
            for (int t = 0; t < threads; t++) {
                assertThat(next.get(t)).as("messages of thread %d", t).isEqualTo(perThread);
            }
        }
    }
}
