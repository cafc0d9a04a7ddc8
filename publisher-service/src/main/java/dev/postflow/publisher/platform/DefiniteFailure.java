package dev.postflow.publisher.platform;

/**
 * A definite answer found in a middle step of a multi-step protocol (a container in ERROR, a blob refused, a login
 * refused): it ends the publish as this outcome. Adapters recover it into the outcome at the end of their chain.
 */
public final class DefiniteFailure extends RuntimeException {
  private final ProviderOutcome outcome;

  public DefiniteFailure(ProviderOutcome outcome) {
    super(outcome.error() == null ? "failed" : outcome.error().message(), null, false, false);
    this.outcome = outcome;
  }

  public ProviderOutcome outcome() {
    return outcome;
  }
}
