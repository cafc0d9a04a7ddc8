package dev.postflow.posts.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.Ids;
import dev.postflow.posts.post.Post;
import dev.postflow.posts.problem.FieldError;
import dev.postflow.posts.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Posting queues. {@link #place} gives a new post its queue's first free slot: the queue's row is locked in the
 * post's own transaction, so two creates at once never take one slot beyond its capacity, and the slot is the post's
 * scheduled_at from then on, exactly as if the caller had named it (a scheduled post like any other).
 */
@ApplicationScoped
public class QueueService {
  static final int MAX_RULES = 50;
  static final int MAX_TIMES = 96;
  static final int MAX_CAPACITY = 100;
  private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY, "wed", DayOfWeek.WEDNESDAY,
      "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY, "sun", DayOfWeek.SUNDAY);

  @Inject ObjectMapper json;

  /** A queued post's slot is at least this far ahead, so it is accepted and handed over well before its time. */
  @ConfigProperty(name = "postflow.queues.min-lead", defaultValue = "PT1M")
  Duration minLead;

  @WithTransaction
  public Uni<QueueView> create(String workspaceId, QueueRequest request) {
    if (request == null) throw new ProblemException(400, "malformed_json", "Malformed JSON", "the body must be a JSON object");
    List<FieldError> errors = new ArrayList<>();
    if (request.name() == null) errors.add(FieldError.of("name", "required", "name is required"));
    if (request.timeZone() == null) errors.add(FieldError.of("time_zone", "required", "time_zone is required, an IANA zone such as Europe/Berlin"));
    if (request.slots() == null) errors.add(FieldError.of("slots", "required", "slots is required: [{\"days\": [\"mon\", …], \"times\": [\"09:00\", …]}]"));
    check(request, errors);
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
    Queue queue = new Queue();
    queue.id = Ids.newId("que");
    queue.workspaceId = workspaceId;
    queue.name = request.name().strip();
    queue.timeZone = request.timeZone();
    queue.slots = write(request.slots());
    queue.capacity = request.capacity() == null ? 1 : request.capacity();
    queue.createdAt = Instant.now();
    queue.updatedAt = queue.createdAt;
    return queue.persist().map(saved -> view(queue));
  }

  /** Changes what is given; posts already queued keep their times (a new slot pattern applies to the posts queued after). */
  @WithTransaction
  public Uni<QueueView> update(String workspaceId, String id, QueueRequest request) {
    if (request == null) throw new ProblemException(400, "malformed_json", "Malformed JSON", "the body must be a JSON object");
    List<FieldError> errors = new ArrayList<>();
    check(request, errors);
    if (!errors.isEmpty()) throw ProblemException.validation(errors);
    return find(workspaceId, id, LockModeType.PESSIMISTIC_WRITE).map(queue -> {
      if (request.name() != null) queue.name = request.name().strip();
      if (request.timeZone() != null) queue.timeZone = request.timeZone();
      if (request.slots() != null) queue.slots = write(request.slots());
      if (request.capacity() != null) queue.capacity = request.capacity();
      queue.updatedAt = Instant.now();
      return view(queue);
    });
  }

  @WithSession
  public Uni<QueueView> get(String workspaceId, String id) {
    return find(workspaceId, id, LockModeType.NONE).map(this::view);
  }

  @WithSession
  public Uni<List<QueueView>> list(String workspaceId) {
    return Queue.<Queue>find("workspaceId = ?1 order by id", workspaceId).list().map(queues -> queues.stream().map(this::view).toList());
  }

  /** Deletes the queue; its posts stay scheduled at their slots' times, outside any queue. */
  @WithTransaction
  public Uni<Void> delete(String workspaceId, String id) {
    return find(workspaceId, id, LockModeType.PESSIMISTIC_WRITE)
        .call(queue -> Panache.getSession().chain(session -> session.createMutationQuery("update Post p set p.queueId = null where p.queueId = :queue")
            .setParameter("queue", queue.id).executeUpdate()))
        .call(queue -> queue.delete())
        .replaceWithVoid();
  }

  /** The next {@code limit} slots from now (at least min-lead ahead), each with the posts it holds. */
  @WithSession
  public Uni<List<QueueView.Slot>> slots(String workspaceId, String id, int limit) {
    return find(workspaceId, id, LockModeType.NONE).chain(queue -> {
      Instant from = Instant.now().plus(minLead);
      List<Instant> next = slotsOf(queue).after(from, limit);
      if (next.isEmpty()) return Uni.createFrom().item(List.<QueueView.Slot>of());
      return taken(queue.id, next.get(0), next.get(next.size() - 1)).map(taken -> next.stream()
          .map(at -> new QueueView.Slot(at, at.atZone(ZoneId.of(queue.timeZone)).toLocalDateTime().toString(), taken.getOrDefault(at, 0L),
              taken.getOrDefault(at, 0L) < queue.capacity))
          .toList());
    });
  }

  /** Whether the workspace has this queue (for the checks of a create request). */
  @WithSession
  public Uni<Boolean> exists(String workspaceId, String id) {
    return Queue.count("id = ?1 and workspaceId = ?2", id, workspaceId).map(count -> count > 0);
  }

  /**
   * In the caller's transaction: locks the queue and gives {@code post} its first slot with room, at least min-lead
   * ahead, as scheduled_at (and the queue's time zone, unless the post names one).
   */
  public Uni<Void> place(String workspaceId, String queueId, Post post) {
    return Queue.<Queue>find("id = ?1 and workspaceId = ?2", queueId, workspaceId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
        .chain(queue -> {
          if (queue == null) throw ProblemException.validation(List.of(FieldError.of("queue_id", "queue_not_found", "no queue " + queueId + " in this workspace")));
          Instant from = Instant.now().plus(minLead);
          return firstFree(queue, slotsOf(queue), from, from.plus(Duration.ofDays(QueueSlots.DAYS_AHEAD))).map(slot -> {
            if (slot == null) {
              throw new ProblemException(409, "queue_full", "The queue is full",
                  "queue " + queue.id + " has no free slot in the next " + QueueSlots.DAYS_AHEAD + " days: add times or capacity, or schedule the post yourself");
            }
            post.scheduledAt = slot;
            post.queueId = queue.id;
            if (post.timeZone == null) post.timeZone = queue.timeZone;
            return null;
          });
        });
  }

  /** Slots counted per round trip while looking for a free one: a full queue is read a window at a time, never whole. */
  static final int SLOTS_PER_READ = 200;

  /** The first slot after {@code after} (and before {@code until}) with room, reading the queue's posts window by window. */
  private Uni<Instant> firstFree(Queue queue, QueueSlots slots, Instant after, Instant until) {
    List<Instant> window = slots.after(after, SLOTS_PER_READ);
    if (window.isEmpty() || window.get(0).isAfter(until)) return Uni.createFrom().nullItem();
    Instant last = window.get(window.size() - 1);
    return taken(queue.id, window.get(0), last).chain(taken -> {
      Instant free = QueueSlots.firstFree(window, taken, queue.capacity);
      return free != null ? Uni.createFrom().item(free) : firstFree(queue, slots, last, until);
    });
  }

  /** How many posts (not cancelled) each of the queue's slots from {@code from} to {@code to} holds. */
  private Uni<Map<Instant, Long>> taken(String queueId, Instant from, Instant to) {
    return Panache.getSession().chain(session -> session.createSelectionQuery("select p.scheduledAt, count(p) from Post p"
            + " where p.queueId = :queue and p.scheduledAt >= :from and p.scheduledAt <= :to and p.status <> 'cancelled'"
            + " group by p.scheduledAt", Object[].class)
        .setParameter("queue", queueId).setParameter("from", from).setParameter("to", to).getResultList())
        .map(rows -> {
          Map<Instant, Long> taken = new HashMap<>();
          for (Object[] row : rows) taken.put((Instant) row[0], (Long) row[1]);
          return taken;
        });
  }

  private Uni<Queue> find(String workspaceId, String id, LockModeType lock) {
    return Queue.<Queue>find("id = ?1 and workspaceId = ?2", id, workspaceId).withLock(lock).firstResult().map(queue -> {
      if (queue == null) throw ProblemException.notFound("queue " + id);
      return queue;
    });
  }

  private QueueSlots slotsOf(Queue queue) {
    Map<DayOfWeek, List<LocalTime>> weekly = new EnumMap<>(DayOfWeek.class);
    for (QueueRequest.SlotRule rule : read(queue.slots)) {
      for (String day : rule.days()) {
        for (String time : rule.times()) weekly.computeIfAbsent(DAYS.get(day), d -> new ArrayList<>()).add(LocalTime.parse(time));
      }
    }
    return new QueueSlots(ZoneId.of(queue.timeZone), weekly);
  }

  /** Every problem of a queue's fields (those given). */
  static void check(QueueRequest request, List<FieldError> errors) {
    if (request.name() != null && (request.name().isBlank() || request.name().length() > 200)) {
      errors.add(FieldError.of("name", "invalid_value", "name must be 1 to 200 characters"));
    }
    if (request.timeZone() != null) {
      try {
        ZoneId.of(request.timeZone());
      } catch (Exception e) {
        errors.add(FieldError.of("time_zone", "invalid_time_zone", "time_zone must be an IANA zone such as Europe/Berlin"));
      }
    }
    if (request.capacity() != null && (request.capacity() < 1 || request.capacity() > MAX_CAPACITY)) {
      errors.add(FieldError.of("capacity", "invalid_value", "capacity is the number of posts per slot, 1 to " + MAX_CAPACITY));
    }
    if (request.slots() == null) return;
    if (request.slots().isEmpty() || request.slots().size() > MAX_RULES) {
      errors.add(FieldError.of("slots", "invalid_value", "slots must hold 1 to " + MAX_RULES + " rules {\"days\": [...], \"times\": [...]}"));
    }
    for (int i = 0; i < request.slots().size(); i++) {
      QueueRequest.SlotRule rule = request.slots().get(i);
      String at = "slots[" + i + "]";
      if (rule == null) {
        errors.add(FieldError.of(at, "required", "a rule is an object {\"days\": [...], \"times\": [...]}"));
        continue;
      }
      if (rule.days() == null || rule.days().isEmpty()) {
        errors.add(FieldError.of(at + ".days", "required", "days: one or more of mon, tue, wed, thu, fri, sat, sun"));
      } else {
        for (int d = 0; d < rule.days().size(); d++) {
          if (!DAYS.containsKey(rule.days().get(d))) {
            errors.add(FieldError.of(at + ".days[" + d + "]", "invalid_day", "a day is one of mon, tue, wed, thu, fri, sat, sun"));
          }
        }
      }
      if (rule.times() == null || rule.times().isEmpty() || rule.times().size() > MAX_TIMES) {
        errors.add(FieldError.of(at + ".times", "required", "times: 1 to " + MAX_TIMES + " times of day, HH:MM in the queue's time zone"));
      } else {
        for (int t = 0; t < rule.times().size(); t++) {
          String time = rule.times().get(t);
          boolean valid = time != null && time.matches("\\d{2}:\\d{2}");
          try {
            if (valid) LocalTime.parse(time);
          } catch (DateTimeParseException e) {
            valid = false;
          }
          if (!valid) errors.add(FieldError.of(at + ".times[" + t + "]", "invalid_time", "a time of day is HH:MM, 00:00 to 23:59"));
        }
      }
    }
  }

  private QueueView view(Queue queue) {
    return new QueueView(queue.id, queue.name, queue.timeZone, read(queue.slots), queue.capacity, queue.createdAt, queue.updatedAt);
  }

  private String write(List<QueueRequest.SlotRule> slots) {
    try {
      return json.writeValueAsString(slots);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<QueueRequest.SlotRule> read(String slots) {
    try {
      return json.readValue(slots, new TypeReference<List<QueueRequest.SlotRule>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
