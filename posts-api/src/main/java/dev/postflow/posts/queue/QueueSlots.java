package dev.postflow.posts.queue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A queue's weekly slots in its time zone, as instants. A local time that a daylight-saving change skips (02:30 on
 * the spring-forward night in Europe/Berlin) is the same moment shifted by the gap (03:30); one that occurs twice (the
 * autumn night) is its first occurrence. Two slots that fall on one instant are one slot.
 */
public final class QueueSlots {
  /** How far ahead slots are looked for. */
  public static final int DAYS_AHEAD = 366;

  private final ZoneId zone;
  private final Map<DayOfWeek, TreeSet<LocalTime>> times = new TreeMap<>();

  public QueueSlots(ZoneId zone, Map<DayOfWeek, ? extends java.util.Collection<LocalTime>> weekly) {
    this.zone = zone;
    weekly.forEach((day, at) -> times.computeIfAbsent(day, d -> new TreeSet<>()).addAll(at));
  }

  /** The slots after {@code from}, ascending, at most {@code limit}, within {@link #DAYS_AHEAD} days. */
  public List<Instant> after(Instant from, int limit) {
    List<Instant> slots = new ArrayList<>();
    LocalDate day = from.atZone(zone).toLocalDate();
    Instant last = from;
    for (int d = 0; d <= DAYS_AHEAD && slots.size() < limit; d++, day = day.plusDays(1)) {
      for (LocalTime time : times.getOrDefault(day.getDayOfWeek(), new TreeSet<>())) {
        Instant at = ZonedDateTime.of(day, time, zone).toInstant();
        if (at.isAfter(last)) {
          slots.add(at);
          last = at;
          if (slots.size() == limit) break;
        }
      }
    }
    return slots;
  }

  /** The first of {@code slots} with fewer than {@code capacity} posts ({@code taken}), or null when all are full. */
  public static Instant firstFree(List<Instant> slots, Map<Instant, Long> taken, int capacity) {
    for (Instant slot : slots) {
      if (taken.getOrDefault(slot, 0L) < capacity) return slot;
    }
    return null;
  }
}
