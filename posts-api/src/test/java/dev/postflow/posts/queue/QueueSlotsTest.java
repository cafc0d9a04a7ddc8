package dev.postflow.posts.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueSlotsTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void weeklyTimesInTheQueuesZoneInOrder() {
    QueueSlots slots = new QueueSlots(BERLIN, Map.of(DayOfWeek.MONDAY, List.of(LocalTime.of(13, 30), LocalTime.of(9, 0)),
        DayOfWeek.WEDNESDAY, List.of(LocalTime.of(9, 0))));
    // Sunday 2026-12-06 12:00 in Berlin (CET, UTC+1)
    List<Instant> next = slots.after(Instant.parse("2026-12-06T11:00:00Z"), 4);
    assertEquals(List.of(Instant.parse("2026-12-07T08:00:00Z"), Instant.parse("2026-12-07T12:30:00Z"), Instant.parse("2026-12-09T08:00:00Z"),
        Instant.parse("2026-12-14T08:00:00Z")), next);
    // a slot at exactly `from` is not after it
    assertEquals(Instant.parse("2026-12-07T12:30:00Z"), slots.after(Instant.parse("2026-12-07T08:00:00Z"), 1).get(0));
  }

  @Test
  void daylightSavingChangesMoveASkippedTimeByTheGapAndTakeARepeatedTimeOnce() {
    // 2027-03-28: Berlin skips 02:00–03:00; 2027-10-31: 02:00–03:00 happens twice
    QueueSlots slots = new QueueSlots(BERLIN, Map.of(DayOfWeek.SUNDAY, List.of(LocalTime.of(2, 30), LocalTime.of(3, 30))));
    assertEquals(List.of(Instant.parse("2027-03-28T01:30:00Z")), slots.after(Instant.parse("2027-03-27T12:00:00Z"), 1),
        "02:30 does not exist: 03:30 CEST, which is also the 03:30 slot: one slot");
    assertEquals(List.of(Instant.parse("2027-03-28T01:30:00Z"), Instant.parse("2027-04-04T00:30:00Z")),
        slots.after(Instant.parse("2027-03-27T12:00:00Z"), 2));
    assertEquals(List.of(Instant.parse("2027-10-31T00:30:00Z"), Instant.parse("2027-10-31T02:30:00Z")),
        slots.after(Instant.parse("2027-10-30T12:00:00Z"), 2), "02:30 at its first occurrence (CEST), then 03:30 CET");
  }

  @Test
  void theFirstFreeSlotSkipsFullOnesAndThereIsNoneWithoutTimes() {
    QueueSlots slots = new QueueSlots(BERLIN, Map.of(DayOfWeek.MONDAY, List.of(LocalTime.of(9, 0))));
    List<Instant> next = slots.after(Instant.parse("2026-12-06T11:00:00Z"), 3);
    Map<Instant, Long> taken = Map.of(Instant.parse("2026-12-07T08:00:00Z"), 2L, Instant.parse("2026-12-14T08:00:00Z"), 1L);
    assertEquals(Instant.parse("2026-12-14T08:00:00Z"), QueueSlots.firstFree(next, taken, 2));
    assertEquals(Instant.parse("2026-12-21T08:00:00Z"), QueueSlots.firstFree(next, taken, 1));
    assertNull(QueueSlots.firstFree(next.subList(0, 2), taken, 1));
    assertEquals(List.of(), new QueueSlots(BERLIN, Map.of()).after(Instant.parse("2026-12-06T11:00:00Z"), 5));
  }
}
