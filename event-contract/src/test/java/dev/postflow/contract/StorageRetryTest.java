package dev.postflow.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StorageRetryTest {

  @Test
  void anUnreachableDatabaseIsWaitedForBeyondTheTriesADataErrorGets() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    StorageRetry.run("a batch", Duration.ofMillis(1), () -> {
      if (tries.incrementAndGet() <= StorageRetry.TRIES * 3) throw new SQLException("Connection refused", "08001");
    });
    assertEquals(StorageRetry.TRIES * 3 + 1, tries.get());
  }

  @Test
  void dataTheDatabaseRefusesIsGivenUpAfterItsTries() {
    AtomicInteger tries = new AtomicInteger();
    SQLException refused = assertThrows(SQLException.class, () -> StorageRetry.run("a batch", Duration.ofMillis(1), () -> {
      tries.incrementAndGet();
      throw new SQLException("duplicate key value violates unique constraint", "23505");
    }));
    assertEquals("23505", refused.getSQLState());
    assertEquals(StorageRetry.TRIES, tries.get());
  }

  @Test
  void onlySqlStateClasses22And23AreDataErrorsWhereverTheyAreInTheCauses() {
    assertTrue(StorageRetry.isDataError(new IllegalStateException(new SQLException("bad", "22P02"))));
    assertTrue(StorageRetry.isDataError(new SQLException("fk", "23503")));
    assertFalse(StorageRetry.isDataError(new SQLException("restarting", "57P03")));
    assertFalse(StorageRetry.isDataError(new SQLException("permission denied", "42501")));
    assertFalse(StorageRetry.isDataError(new RuntimeException("Connection refused")));
  }
}
