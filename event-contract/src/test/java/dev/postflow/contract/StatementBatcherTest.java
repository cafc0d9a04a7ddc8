package dev.postflow.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatementBatcherTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<List<Integer>> statements = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The statement: doubles each input; an input of -1 makes the whole statement fail. */
  private StatementBatcher<Integer, Integer> batcher() {
    return new StatementBatcher<>("test", 500, 2, inputs -> {
      statements.add(inputs);
      if (inputs.contains(-1)) return Uni.createFrom().failure(new IllegalArgumentException("refused"));
      return Uni.createFrom().item(inputs.stream().map(i -> i * 2).toList());
    });
  }

  /** Submits the inputs one after the other in one task on a Vert.x context, as a consumer does with a Kafka batch. */
  private List<Object> submitInOneTask(StatementBatcher<Integer, Integer> batcher, List<Integer> inputs) throws Exception {
    Context context = vertx.getOrCreateContext();
    List<CompletableFuture<Object>> answers = new ArrayList<>();
    List<Context> answeredOn = new CopyOnWriteArrayList<>();
    for (int i = 0; i < inputs.size(); i++) answers.add(new CompletableFuture<>());
    context.runOnContext(ignored -> {
      for (int i = 0; i < inputs.size(); i++) {
        CompletableFuture<Object> answer = answers.get(i);
        batcher.submit(inputs.get(i)).subscribe().with(item -> {
          answeredOn.add(Vertx.currentContext());
          answer.complete(item);
        }, answer::complete);
      }
    });
    List<Object> result = new ArrayList<>();
    for (CompletableFuture<Object> answer : answers) result.add(answer.get(10, TimeUnit.SECONDS));
    // Checked here, not in the callback, where a failed assertion would be swallowed and show only as a timeout.
    for (Context on : answeredOn) assertTrue(on == context, "answered on the caller's context");
    return result;
  }

  @Test
  void callsMadeInOneTaskShareOneStatementAndEachGetsItsOwnAnswer() throws Exception {
    List<Object> answers = submitInOneTask(batcher(), List.of(1, 2, 3, 4, 5, 6, 7));
    assertEquals(List.of(2, 4, 6, 8, 10, 12, 14), answers);
    assertEquals(List.of(List.of(1, 2, 3, 4, 5, 6, 7)), statements, "one statement for the seven calls");
  }

  @Test
  void aRefusedBatchIsSplitSoOnlyTheBadCallFails() throws Exception {
    List<Object> answers = submitInOneTask(batcher(), List.of(1, -1, 3));
    assertEquals(2, answers.get(0));
    assertTrue(answers.get(1) instanceof IllegalArgumentException, "the bad call fails: " + answers.get(1));
    assertEquals(6, answers.get(2));
    assertEquals(List.of(List.of(1, -1, 3), List.of(1), List.of(-1), List.of(3)), statements);
  }

  @Test
  void aCallOnOneEventLoopDoesNotWaitForABusyTaskOnAnother() throws Exception {
    StatementBatcher<Integer, Integer> batcher = batcher();
    Context busy = vertx.getOrCreateContext();
    // Vert.x gives each non-Vert.x thread its own context, on the next event loop in turn.
    CompletableFuture<Context> otherContext = new CompletableFuture<>();
    new Thread(() -> otherContext.complete(vertx.getOrCreateContext())).start();
    Context other = otherContext.get(10, TimeUnit.SECONDS);
    assertTrue(busy != other, "two contexts");
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Integer> busyAnswer = new CompletableFuture<>();
    CompletableFuture<Integer> otherAnswer = new CompletableFuture<>();
    CountDownLatch submitted = new CountDownLatch(1);
    busy.runOnContext(ignored -> {
      batcher.submit(1).subscribe().with(busyAnswer::complete, busyAnswer::completeExceptionally);
      submitted.countDown();
      try {
        release.await(20, TimeUnit.SECONDS); // a long task: this event loop is busy until the other call was answered
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertTrue(submitted.await(10, TimeUnit.SECONDS), "the busy loop's call was made first");
    other.runOnContext(ignored -> batcher.submit(2).subscribe().with(otherAnswer::complete, otherAnswer::completeExceptionally));
    try {
      assertEquals(4, otherAnswer.get(10, TimeUnit.SECONDS));
    } finally {
      release.countDown();
    }
    assertEquals(2, busyAnswer.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aCallOffAnyContextStartsItsStatementAtOnce() {
    assertEquals(10, batcher().submit(5).await().atMost(Duration.ofSeconds(10)));
    assertEquals(List.of(List.of(5)), statements);
  }
}
