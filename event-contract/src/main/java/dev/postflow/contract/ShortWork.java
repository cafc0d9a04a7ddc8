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
 * Long work (migrations, vacuums, retention deletes) takes a plain connection instead.
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

  /** The same for work that may also wait up to {@code lockWait} for a row another transaction holds. */
  public <T, E extends Exception> T run(Duration lockWait, Connections.Work<T, E> work) throws E, SQLException {
    return Connections.withAnswerTimeout(dataSource, lockWait.plus(answerTimeout), work);
  }
}
