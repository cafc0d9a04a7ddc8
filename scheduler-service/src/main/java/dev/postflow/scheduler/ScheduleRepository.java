package dev.postflow.scheduler;

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

  /** Stores a schedule unless a newer version is already stored. Returns whether it changed anything. */
  static boolean apply(Connection connection, ScheduleRequest request) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement("""
        insert into scheduler.scheduled_post (post_id, schedule_version, due_at, handed_over_at, updated_at)
        values (?, ?, ?, null, now())
        on conflict (post_id) do update
          set schedule_version = excluded.schedule_version, due_at = excluded.due_at, handed_over_at = null, updated_at = now()
          where scheduler.scheduled_post.schedule_version < excluded.schedule_version
        """)) {
      upsert.setString(1, request.postId());
      upsert.setLong(2, request.scheduleVersion());
      upsert.setTimestamp(3, request.dueAt() == null ? null : Timestamp.from(request.dueAt()));
      return upsert.executeUpdate() == 1;
    }
  }

  /**
   * Claims up to {@code limit} posts whose time has come, skipping rows another replica holds. The claim is part
   * of the caller's transaction: if the hand-over fails, the rollback makes them due again.
   */
  static List<PostDue> claimDue(Connection connection, int limit, String instanceId) throws SQLException {
    try (PreparedStatement claim = connection.prepareStatement("""
        with due as (
          select post_id from scheduler.scheduled_post
          where handed_over_at is null and due_at <= clock_timestamp()
          order by due_at
          limit ?
          for update skip locked)
        update scheduler.scheduled_post s set handed_over_at = clock_timestamp(), handed_over_by = ?, updated_at = now()
        from due where s.post_id = due.post_id
        returning s.post_id, s.schedule_version, s.due_at, s.handed_over_at
        """)) {
      claim.setInt(1, limit);
      claim.setString(2, instanceId);
      List<PostDue> due = new ArrayList<>();
      try (ResultSet rows = claim.executeQuery()) {
        while (rows.next()) {
          due.add(new PostDue(rows.getString(1), rows.getLong(2), rows.getTimestamp(3).toInstant(), rows.getTimestamp(4).toInstant()));
        }
      }
      return due;
    }
  }

  /** Milliseconds until the next waiting post is due (0 if one is due now), or -1 when none is waiting. */
  static long millisUntilNextDue(Connection connection) throws SQLException {
    try (PreparedStatement next = connection.prepareStatement("""
        select ceil(extract(epoch from (min(due_at) - clock_timestamp())) * 1000)
        from scheduler.scheduled_post where handed_over_at is null and due_at is not null
        """); ResultSet row = next.executeQuery()) {
      row.next();
      double millis = row.getDouble(1);
      if (row.wasNull()) return -1;
      return Math.max(0, (long) millis);
    }
  }
}
