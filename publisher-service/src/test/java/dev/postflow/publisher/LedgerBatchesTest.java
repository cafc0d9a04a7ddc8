package dev.postflow.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.Ids;
import dev.postflow.contract.PublishRequest;
import dev.postflow.contract.PublishResult;
import dev.postflow.contract.crypto.SecretCipher;
import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.account.AccountCredentialsRepository;
import dev.postflow.contract.StatementBatcher;
import dev.postflow.publisher.ledger.PublishLedger;
import dev.postflow.testsupport.RealInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Concurrent publishes share the ledger's and the account reads' statements; each caller still gets its own answer. */
@QuarkusTest
@QuarkusTestResource(value = RealInfrastructure.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = SandboxSimulator.class, restrictToAnnotatedClass = false)
class LedgerBatchesTest {
  @Inject PublishLedger ledger;
  @Inject AccountCredentialsRepository accounts;
  @Inject SecretCipher cipher;

  private static PublishRequest request(String requestId, String accountId) {
    return new PublishRequest(requestId, "post_" + requestId, "tgt_" + requestId, "ws_1", accountId, "sandbox", 1, "hi", List.of(), Map.of(), null, null);
  }

  private static PublishResult published(PublishRequest request) {
    return new PublishResult(request.requestId(), request.postId(), request.targetId(), PublishResult.Outcome.published,
        "sbx_" + request.requestId(), null, Instant.now(), null, Instant.now(), 5, 201);
  }

  @Test
  void concurrentStartsAndFinishesEachGetTheirOwnAnswer() throws Exception {
    // One request finished earlier: taken again (a redelivery), it must get its stored result, not a new start.
    PublishRequest earlier = request(Ids.newId("req"), "acc_x");
    ledger.begin(earlier).await().atMost(Duration.ofSeconds(10));
    ledger.finish(published(earlier)).await().atMost(Duration.ofSeconds(10));

    List<PublishRequest> fresh = new ArrayList<>();
    for (int i = 0; i < 300; i++) fresh.add(request(Ids.newId("req"), "acc_x"));
    List<Uni<PublishLedger.Entry>> starts = new ArrayList<>();
    for (PublishRequest r : fresh) starts.add(ledger.begin(r));
    starts.add(ledger.begin(earlier));
    List<PublishLedger.Entry> entries = Uni.join().all(starts).andFailFast().await().atMost(Duration.ofSeconds(30));

    for (int i = 0; i < fresh.size(); i++) assertEquals(PublishLedger.State.NEW, entries.get(i).state(), "request " + i);
    PublishLedger.Entry again = entries.get(fresh.size());
    assertEquals(PublishLedger.State.FINISHED, again.state());
    assertEquals("sbx_" + earlier.requestId(), again.result().platformPostId());

    List<Uni<Void>> finishes = new ArrayList<>();
    for (PublishRequest r : fresh) finishes.add(ledger.finish(published(r)));
    Uni.join().all(finishes).andFailFast().await().atMost(Duration.ofSeconds(30));
    try (Connection connection = RealInfrastructure.jdbc();
         ResultSet rows = connection.createStatement().executeQuery("select request_id, state, result from publisher.publish_ledger"
             + " where request_id in (" + String.join(",", fresh.stream().map(r -> "'" + r.requestId() + "'").toList()) + ")")) {
      int count = 0;
      while (rows.next()) {
        count++;
        assertEquals("published", rows.getString("state"));
        assertTrue(rows.getString("result").contains("sbx_" + rows.getString("request_id")), "each row got its own result");
      }
      assertEquals(300, count);
    }
  }

  @Test
  void concurrentAccountReadsAnswerEachCallerWithItsAccount() throws Exception {
    String first = PlatformTestAccounts.insert(cipher, "sandbox", "one", "token-one", Map.of());
    String second = PlatformTestAccounts.insert(cipher, "sandbox", "two", "token-two", Map.of());
    List<String> asked = new ArrayList<>();
    for (int i = 0; i < 200; i++) asked.add(i % 3 == 0 ? first : i % 3 == 1 ? second : "acc_missing");
    List<Uni<AccountCredentials>> reads = new ArrayList<>();
    for (String id : asked) reads.add(accounts.find(id));
    List<AccountCredentials> found = Uni.join().all(reads).andFailFast().await().atMost(Duration.ofSeconds(30));
    for (int i = 0; i < asked.size(); i++) {
      if (asked.get(i).equals("acc_missing")) {
        assertNull(found.get(i));
      } else {
        assertEquals(asked.get(i), found.get(i).accountId());
        assertEquals(asked.get(i).equals(first) ? "token-one" : "token-two", found.get(i).accessToken());
      }
    }
  }

  @Test
  void aFailedBatchIsSplitSoOnlyTheBadCallFails() {
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    StatementBatcher<Integer, Integer> doubler = new StatementBatcher<>("test", 100, 1, inputs -> {
      batchSizes.add(inputs.size());
      if (inputs.contains(13)) return Uni.createFrom().failure(new IllegalArgumentException("13 is refused"));
      return Uni.createFrom().item(inputs.stream().map(i -> i * 2).toList())
          .onItem().delayIt().by(Duration.ofMillis(20)); // a statement takes a while: later calls queue behind it
    });
    List<Uni<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) calls.add(doubler.submit(i).onFailure().recoverWithItem(-1));
    List<Integer> answers = Uni.join().all(calls).andFailFast().await().atMost(Duration.ofSeconds(30));
    for (int i = 0; i < 50; i++) assertEquals(i == 13 ? -1 : i * 2, answers.get(i), "call " + i);
    assertTrue(batchSizes.stream().anyMatch(size -> size > 1), "calls queued behind a running statement share one: " + batchSizes);
  }
}
