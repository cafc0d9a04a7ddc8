package dev.postflow.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** For tests that pin how PostgreSQL runs a statement: its plan as run, and how many rows of a table it read. */
public final class QueryPlans {
  private static final ObjectMapper JSON = new ObjectMapper();

  private QueryPlans() {}

  /** Runs {@code EXPLAIN (ANALYZE, FORMAT JSON)} of the statement (so it really executes) and returns the top plan node. */
  public static JsonNode explainAnalyze(Statement sql, String statement) throws SQLException {
    try (ResultSet row = sql.executeQuery("explain (analyze, format json) " + statement)) {
      row.next();
      return JSON.readTree(row.getString(1)).get(0).get("Plan");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("PostgreSQL's plan is not JSON", e);
    }
  }

  /** Rows every scan node of {@code table} produced or filtered out, over all its loops. */
  public static long rowsRead(JsonNode node, String table) {
    long read = 0;
    if (table.equals(node.path("Relation Name").asText()) && node.path("Node Type").asText().contains("Scan")) {
      long perLoop = node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
          + node.path("Rows Removed by Index Recheck").asLong();
      read += perLoop * Math.max(1, node.path("Actual Loops").asLong());
    }
    for (JsonNode child : node.path("Plans")) read += rowsRead(child, table);
    return read;
  }
}
