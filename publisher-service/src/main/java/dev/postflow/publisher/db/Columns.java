package dev.postflow.publisher.db;

import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Column-wise text values of many rows, passed as one {@code text[]} parameter per column (for {@code unnest}). */
public final class Columns {
  private final List<List<String>> columns = new ArrayList<>();

  public Columns(int count, int rows) {
    for (int i = 0; i < count; i++) columns.add(new ArrayList<>(rows));
  }

  public void add(String... values) {
    for (int i = 0; i < values.length; i++) columns.get(i).add(values[i]);
  }

  public Tuple tuple() {
    Tuple tuple = Tuple.tuple();
    for (List<String> column : columns) tuple.addValue(column.toArray(String[]::new));
    return tuple;
  }
}
