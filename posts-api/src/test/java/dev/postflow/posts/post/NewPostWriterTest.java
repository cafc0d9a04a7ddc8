package dev.postflow.posts.post;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Ids;
import dev.postflow.contract.Topics;
import dev.postflow.posts.messaging.OutboxMessage;
import dev.postflow.testsupport.KafkaTopics;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Group commit of new posts: many requests share a statement, each is answered for its own post only. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
class NewPostWriterTest {
  @Inject NewPostWriter writer;
  @Inject Pool pool;

  private static String newWorkspace() {
    return RestAssured.given().header("Authorization", "Bearer test-admin-key").contentType("application/json")
        .body(Map.of("name", "writer")).post("/v1/workspaces").then().statusCode(201).extract().path("api_key");
  }

  private static String sandboxAccount(String key) {
    return RestAssured.given().header("Authorization", "Bearer " + key).contentType("application/json")
        .body(Map.of("platform", "sandbox", "external_id", "writer", "access_token", "t"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
  }

  private long count(String sql, Object ids) {
    return pool.preparedQuery(sql).execute(Tuple.of(ids)).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
  }

  @Test
  void concurrentCreatesAreEachStoredAndAnnouncedOnce() throws Exception {
    String key = newWorkspace();
    String account = sandboxAccount(key);
    String at = Instant.now().plusSeconds(86_400).toString();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<CompletableFuture<String>> created = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String text = "together " + i;
      created.add(CompletableFuture.supplyAsync(() -> RestAssured.given().header("Authorization", "Bearer " + key)
          .contentType("application/json").body(Map.of("text", text, "account_ids", List.of(account), "scheduled_at", at))
          .post("/v1/posts").then().statusCode(201).extract().<String>path("id"), clients));
    }
    Set<String> ids = new java.util.HashSet<>();
    for (CompletableFuture<String> id : created) ids.add(id.get(60, TimeUnit.SECONDS));
    clients.shutdown();
    assertEquals(200, ids.size());
    String[] idArray = ids.toArray(String[]::new);
    assertEquals(200, count("select count(*) from posts.post where id = any($1) and status = 'scheduled'", idArray));
    assertEquals(200, count("select count(*) from posts.post_target where post_id = any($1) and status = 'scheduled'", idArray));
    // Each post's schedule request and post.scheduled event reach Kafka, once each.
    var requests = KafkaTopics.await(Topics.SCHEDULE_REQUESTS, r -> ids.contains(r.key()), 200, Duration.ofSeconds(60));
    assertEquals(ids, requests.stream().map(r -> r.key()).collect(Collectors.toSet()));
    var events = KafkaTopics.await(Topics.LIFECYCLE_EVENTS, r -> ids.contains(r.key()) && r.value().contains("post.scheduled"), 200, Duration.ofSeconds(60));
    assertEquals(200, events.stream().map(r -> r.key()).distinct().count());
  }

  @Test
  void aPostThatCannotBeStoredFailsAloneAndTheOthersOfItsStatementAreStored() throws Exception {
    String key = newWorkspace();
    String account = sandboxAccount(key);
    String workspace = pool.preparedQuery("select workspace_id from posts.account where id = $1").execute(Tuple.of(account))
        .await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    List<NewPostWriter.NewPost> posts = new ArrayList<>();
    for (int i = 0; i < 30; i++) posts.add(newPost(workspace, i == 29 ? "acc_missing" : account));
    // Submitted together: two statements start at once, the rest (with the bad post last) share the next one.
    List<CompletableFuture<Void>> answers = posts.stream()
        .map(p -> writer.insert(p).subscribeAsCompletionStage()).toList();
    int stored = 0;
    int failed = 0;
    for (CompletableFuture<Void> answer : answers) {
      try {
        answer.get(30, TimeUnit.SECONDS);
        stored++;
      } catch (java.util.concurrent.ExecutionException e) {
        failed++;
        assertTrue(e.getCause().getMessage().contains("post_target_account_id_fkey"), e.getCause().getMessage());
      }
    }
    assertEquals(29, stored);
    assertEquals(1, failed);
    String[] ids = posts.stream().map(p -> p.post().id).toArray(String[]::new);
    assertEquals(29, count("select count(*) from posts.post where id = any($1)", ids));
    // The stored posts' messages are relayed; the failed post left none.
    Set<String> keys = Set.of(ids);
    var relayed = KafkaTopics.await(Topics.SCHEDULE_REQUESTS, r -> keys.contains(r.key()), 29, Duration.ofSeconds(30));
    assertEquals(29, relayed.stream().map(r -> r.key()).distinct().count());
    assertTrue(relayed.stream().noneMatch(r -> r.key().equals(ids[29])));
    assertTrue(answers.get(29).isCompletedExceptionally());
  }

  private static NewPostWriter.NewPost newPost(String workspace, String account) {
    Instant now = Instant.now();
    Post post = new Post();
    post.id = Ids.newId("post");
    post.workspaceId = workspace;
    post.status = PostStatus.DRAFT;
    post.version = 1;
    post.text = "draft";
    post.mediaIds = "[]";
    post.platformOptions = "{}";
    post.metadata = "{}";
    post.createdAt = now;
    post.updatedAt = now;
    PostTarget target = new PostTarget();
    target.id = Ids.newId("tgt");
    target.postId = post.id;
    target.accountId = account;
    target.platform = "sandbox";
    target.status = PostStatus.DRAFT;
    target.updatedAt = now;
    OutboxMessage message = new OutboxMessage();
    message.messageId = Ids.newId("msg");
    message.topic = Topics.SCHEDULE_REQUESTS;
    message.messageKey = post.id;
    message.payload = "{\"post_id\":\"" + post.id + "\",\"schedule_version\":0,\"due_at\":null}";
    message.createdAt = now;
    return new NewPostWriter.NewPost(post, List.of(target), List.of(message));
  }
}
