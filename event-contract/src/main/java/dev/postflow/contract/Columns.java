package dev.postflow.contract;

import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Column-wise values of many rows, passed as one array parameter per column, for statements that insert or update
 * many rows at once through {@code unnest($1::text[], …)} (see {@link StatementBatcher}).
 */
public final class Columns {
  private final List<List<Object>> columns = new ArrayList<>();

  public Columns(int count, int rows) {
    for (int i = 0; i < count; i++) columns.add(new ArrayList<>(rows));
  }

  /** One row: a value for each column, in order. An {@link Instant} becomes a UTC OffsetDateTime (for timestamptz[]). */
  public void add(Object... values) {
    for (int i = 0; i < values.length; i++) {
      columns.get(i).add(values[i] instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : values[i]);
    }
  }

  /** Adds one array parameter per column, typed as given (String.class for text[], Long.class for int8[], …). */
  public Tuple addTo(Tuple tuple, Class<?>... types) {
    for (int i = 0; i < types.length; i++) {
      tuple.addValue(columns.get(i).toArray((Object[]) java.lang.reflect.Array.newInstance(types[i], 0)));
    }
    return tuple;
  }
}
