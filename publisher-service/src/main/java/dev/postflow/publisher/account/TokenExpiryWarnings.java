package dev.postflow.publisher.account;

import dev.postflow.contract.LifecycleEvent;
import dev.postflow.contract.ShortWork;
import dev.postflow.contract.platform.TokenRenewal;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Warns before a token that nothing renews expires ({@link TokenRenewal}: LinkedIn's 60-day tokens without partner
 * refresh tokens, any token brought without its refresh token): {@code account.token_expiring} once per token, from
 * {@code postflow.tokens.expiry-warning} (7 days) before its end, so the user is asked to connect the account again
 * while its scheduled posts can still go out. The token's expiry is kept with the account when warned
 * ({@code expiry_warned_for}): the same token is never warned about twice (claimed by an update, so two replicas do not
 * both warn), and a reconnect with a new expiring token is warned about again.
 */
@ApplicationScoped
public class TokenExpiryWarnings {
  @Inject ShortWork shortWork;
  @Inject AccountEvents events;

  @ConfigProperty(name = "postflow.tokens.expiry-warning", defaultValue = "P7D")
  Duration warningTime;

  @ConfigProperty(name = "postflow.tokens.refresh-enabled", defaultValue = "true")
  boolean enabled;

  @Scheduled(every = "${postflow.tokens.check-every:60s}", delayed = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    if (enabled) warnDue();
  }

  /** Sends the warnings due now; returns how many were sent. */
  public int warnDue() {
    String refreshGrant = quoted(TokenRenewal.REFRESH_GRANT);
    String selfRenewing = quoted(TokenRenewal.SELF_RENEWING);
    try {
      return shortWork.run(connection -> {
        int sent = 0;
        connection.setAutoCommit(false);
        // Claimed one by one (each with its event sent before its commit): at most 100 a round, the rest the next.
        try (PreparedStatement claim = connection.prepareStatement("update posts.account set expiry_warned_for = token_expires_at"
            + " where id = (select id from posts.account where status = 'active' and token_expires_at is not null and token_expires_at < ?"
            + " and expiry_warned_for is distinct from token_expires_at and platform not in (" + selfRenewing + ")"
            + " and (refresh_token is null or platform not in (" + refreshGrant + ")) order by token_expires_at limit 1 for update skip locked)"
            + " returning id, workspace_id, platform, external_id, token_expires_at")) {
          for (int i = 0; i < 100; i++) {
            claim.setTimestamp(1, Timestamp.from(Instant.now().plus(warningTime)));
            try (ResultSet row = claim.executeQuery()) {
              if (!row.next()) break;
              warn(row);
            }
            connection.commit();
            sent++;
          }
        } finally {
          connection.rollback();
        }
        return sent;
      });
    } catch (Exception e) {
      Log.warnf("could not send token expiry warnings: %s", e.toString());
      return 0;
    }
  }

  private void warn(ResultSet row) throws Exception {
    Instant expiresAt = row.getTimestamp("token_expires_at").toInstant();
    String platform = row.getString("platform");
    boolean expired = !expiresAt.isAfter(Instant.now());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("id", row.getString("id"));
    data.put("platform", platform);
    data.put("external_id", row.getString("external_id"));
    data.put("status", "active");
    data.put("token_expires_at", expiresAt.toString());
    data.put("reason", "the account's token " + (expired ? "expired at " : "expires at ") + expiresAt + " and " + platform
        + " gave no refresh token to renew it: connect the account again" + (expired ? "" : " before then") + ", or its posts fail as token_invalid");
    events.emit(LifecycleEvent.ACCOUNT_TOKEN_EXPIRING, row.getString("workspace_id"), row.getString("id"), data);
    Log.infof("account %s (%s): token expiring at %s, warned", row.getString("id"), platform, expiresAt);
  }

  private static String quoted(java.util.Set<String> platforms) {
    return platforms.stream().sorted().map(p -> "'" + p + "'").collect(Collectors.joining(","));
  }
}
