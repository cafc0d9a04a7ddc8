package dev.postflow.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TableVacuumTest {

  @Test
  void aVacuumIsDueEveryThatManyRowsWhenTheWorkerIsCaughtUp() {
    assertFalse(TableVacuum.due(9_999, 10_000, false));
    assertTrue(TableVacuum.due(10_000, 10_000, false));
    assertTrue(TableVacuum.due(25_000, 10_000, false));
  }

  @Test
  void duringABacklogItWaitsForTheBacklogToClearUpToFourTimesAsManyRows() {
    // 20,000 posts due at once in full rounds of 500: no vacuum at 10,000 or at 20,000 while rounds are full...
    assertFalse(TableVacuum.due(10_000, 10_000, true));
    assertFalse(TableVacuum.due(20_000, 10_000, true));
    // ...one at the first round that is not full (the dispatcher reports an empty claim as such too)...
    assertTrue(TableVacuum.due(20_000, 10_000, false));
    // ...and a backlog that never clears still gets one every 40,000.
    assertFalse(TableVacuum.due(39_999, 10_000, true));
    assertTrue(TableVacuum.due(40_000, 10_000, true));
  }
}
