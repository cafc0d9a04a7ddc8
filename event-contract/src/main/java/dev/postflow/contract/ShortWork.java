package dev.postflow.contract;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Short JDBC work on the service's pool (a worker loop's round, a Kafka consumer's batch, a token refresh), given up
 * when the database has not answered for {@code postflow.db.answer-timeout}: see {@link Connections#withAnswerTimeout}.
 * Retention deletes run as short work too, in chunks ({@link Retention}); only Flyway's migrations take a plain
 * connection.
 */
@Singleton
public class ShortWork {
  private final DataSource dataSource;
  private final Duration answerTimeout;

  @Inject
  public ShortWork(DataSource dataSource, @ConfigProperty(name = "postflow.db.answer-timeout") Duration answerTimeout) {
    this.dataSource = dataSource;
    this.answerTimeout = answerTimeout;
  }

  public <T, E extends Exception> T run(Connections.Work<T, E> work) throws E, SQLException {
    return Connections.withAnswerTimeout(dataSource, answerTimeout, work);
  }

  /**
   * The same for work that may legitimately go without an answer for up to {@code mayTake} more: a wait for a row
   * another transaction holds, a vacuum.
   */
  public <T, E extends Exception> T run(Duration mayTake, Connections.Work<T, E> work) throws E, SQLException {
    return Connections.withAnswerTimeout(dataSource, mayTake.plus(answerTimeout), work);
  }
}
