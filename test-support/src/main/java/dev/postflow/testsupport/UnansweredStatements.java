package dev.postflow.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Statements the database does not answer, for tests of the answer timeout (Connections.withAnswerTimeout): a table
 * locked by the test stands in for a database whose host vanished, and the backends waiting for that lock show how
 * many connections a service has tried. A backend keeps waiting after its client gave its connection up.
 */
public final class UnansweredStatements {
  private UnansweredStatements() {}

  /** The service with a 1 s answer timeout. */
  public static class OneSecondAnswerTimeout implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("postflow.db.answer-timeout", "1s");
    }
  }

  /** Backends waiting for a lock in a statement that starts with {@code statementStart}. */
  public static long backendsWaiting(String statementStart) throws SQLException {
    try (Connection connection = RealInfrastructure.jdbc(); Statement sql = connection.createStatement();
        ResultSet row = sql.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
            + " and starts_with(query, '" + statementStart.replace("'", "''") + "') and pid <> pg_backend_pid()")) {
      row.next();
      return row.getLong(1);
    }
  }
}
