package dev.postflow.scheduler;

import dev.postflow.contract.Connections;
import dev.postflow.contract.PostDue;
import dev.postflow.contract.ScheduleRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** SQL for the scheduled_post table. Every time comparison uses the database clock. */
final class ScheduleRepository {
  private ScheduleRepository() {}

  /**
   * Stores each schedule unless the same or a newer version is stored or was handed over already, all in one
   * transaction (one JDBC batch). Returns how many changed something. (A copy of a request that arrives while its post
   * is being handed over can slip between the two checks and hand the post over again; posts-api ignores a hand-over
   * of a post that is no longer scheduled, as it does a posts-due record Kafka delivers twice.)
   */
  static int applyAll(Connection connection, List<ScheduleRequest> requests) throws SQLException {
    connection.setAutoCommit(false);
    try (PreparedStatement upsert = connection.prepareStatement("""
        insert into scheduler.scheduled_post (post_id, schedule_version, due_at, updated_at)
        select r.post_id, r.schedule_version, r.due_at, now()
        from (values (?, ?::bigint, ?::timestamptz)) r (post_id, schedule_version, due_at)
        where not exists (select from scheduler.hand_over h
                          where h.post_id = r.post_id and h.schedule_version >= r.schedule_version)
        on conflict (post_id) do update
          set schedule_version = excluded.schedule_version, due_at = excluded.due_at, updated_at = now()
          where scheduler.scheduled_post.schedule_version < excluded.schedule_version
        """)) {
      for (ScheduleRequest request : requests) {
        upsert.setString(1, request.postId());
        upsert.setLong(2, request.scheduleVersion());
        upsert.setTimestamp(3, request.dueAt() == null ? null : Timestamp.from(request.dueAt()));
        upsert.addBatch();
      }
      int changed = 0;
      for (int count : upsert.executeBatch()) changed += count > 0 ? count : 0;
      connection.commit();
      return changed;
    } catch (SQLException e) {
      throw Connections.rolledBack(connection, e);
    }
  }

  /**
   * Claims up to {@code limit} posts whose time has come ({@code ?1} the limit, {@code ?2} this replica's id), skipping
   * rows another replica holds, oldest first: deletes their rows and appends them to the hand-over log, so the table
   * holds only what still waits. (Handed-over rows used to stay, marked; the periodic VACUUM's index cleanup then read
   * an index of every post ever scheduled: 0.8-1.1 s every 10,000 hand-overs with 2.9 million rows.)
   * The clock is read once, in a sub-select: a bare clock_timestamp() is volatile, so PostgreSQL would test it on
   * every waiting row instead of using the index (30 ms per claim with 165,000 waiting posts, 0.03 ms this way).
   * The claimed ids are an array the delete looks up in the primary key. An earlier form joined the statement to a
   * CTE of them: once the statistics had been taken while many posts waited (during a burst, or while a day's posts
   * were being scheduled), the JDBC driver's prepared statement got a generic plan that hashed the whole table for
   * every claim (42 ms per claim at 500 due/s, 70 % of PostgreSQL's time; see {@code ClaimPlanTest}).
   */
  static final String CLAIM = """
      with claimed as (
        delete from scheduler.scheduled_post
        where post_id = any(array(
          select post_id from scheduler.scheduled_post
          where due_at <= (select clock_timestamp())
          order by due_at
          limit ?
          for update skip locked))
        returning post_id, schedule_version, due_at, clock_timestamp() as handed_over_at),
      logged as (
        insert into scheduler.hand_over (post_id, schedule_version, due_at, handed_over_at, handed_over_by)
        select post_id, schedule_version, due_at, handed_over_at, ? from claimed)
      select post_id, schedule_version, due_at, handed_over_at from claimed order by due_at
      """;

  /** The next waiting post's due time and how many milliseconds away it is, rounded up. */
  static final String NEXT_DUE = """
      select due_at, ceil(extract(epoch from (due_at - clock_timestamp())) * 1000)
      from scheduler.scheduled_post where due_at is not null order by due_at limit 1
      """;

  /**
   * Claims due posts ({@link #CLAIM}) in the caller's transaction (if the hand-over fails, the rollback makes them due
   * again) and reads the next waiting post after them ({@link #NEXT_DUE}): two statements sent together, one round
   * trip. The read sees the claim's own deletes, so the posts just claimed are not "next"; a post another replica holds
   * is, as due now.
   */
  static Claim claimDue(Connection connection, int limit, String instanceId) throws SQLException {
    try (PreparedStatement claim = connection.prepareStatement(CLAIM + ";\n" + NEXT_DUE)) {
      claim.setInt(1, limit);
      claim.setString(2, instanceId);
      claim.execute();
      long answeredAt = System.nanoTime();
      List<PostDue> due = new ArrayList<>();
      try (ResultSet rows = claim.getResultSet()) {
        while (rows.next()) {
          due.add(new PostDue(rows.getString(1), rows.getLong(2), rows.getTimestamp(3).toInstant(), rows.getTimestamp(4).toInstant()));
        }
      }
      claim.getMoreResults();
      try (ResultSet row = claim.getResultSet()) {
        NextDue next = row.next() ? new NextDue(row.getTimestamp(1).toInstant(), Math.max(0, (long) row.getDouble(2)), answeredAt) : null;
        return new Claim(due, next);
      }
    }
  }

  /** The hand-over log's retention ({@link dev.postflow.contract.Retention}): up to the second parameter's number of rows from before the first. */
  static final String DELETE_EXPIRED_HAND_OVERS = """
      delete from scheduler.hand_over where ctid = any (array(
        select ctid from scheduler.hand_over where handed_over_at < ? limit ?))""";

  /** The posts a claim took and the next waiting post (null when none waits). */
  record Claim(List<PostDue> due, NextDue next) {}

  /**
   * A waiting post's due time (a database-clock instant, as stored) and how far away it was, in milliseconds rounded
   * up, when the answer arrived ({@code answeredAt}, {@link System#nanoTime}).
   */
  record NextDue(java.time.Instant dueAt, long millis, long answeredAt) {
    /** Milliseconds still to wait: the database's answer minus the time since it arrived (a monotonic clock). */
    long millisLeft() {
      return Math.max(0, millis - (System.nanoTime() - answeredAt) / 1_000_000);
    }
  }
}
