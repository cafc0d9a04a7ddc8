package dev.postflow.posts.workspace;

import dev.postflow.posts.problem.ProblemException;
import jakarta.enterprise.context.RequestScoped;

/** Who is calling: the operator (admin key) or a workspace (API key). Set by {@link ApiKeyAuthFilter}. */
@RequestScoped
public class Caller {
  private boolean admin;
  private String workspaceId;
  private dev.postflow.posts.ratelimit.RateLimiter.Decision rateLimit;

  void admin() {
    this.admin = true;
  }

  private boolean requiresApproval;

  private String keyId;

  void workspace(String keyId, String workspaceId, boolean requiresApproval) {
    this.keyId = keyId;
    this.workspaceId = workspaceId;
    this.requiresApproval = requiresApproval;
  }

  /** The id of the caller's API key (null for the admin key): who approved or rejected a post. */
  public String keyId() {
    return keyId;
  }

  /** The caller's key may only submit posts for approval ({@link ApiKey#requiresApproval}). */
  public boolean requiresApproval() {
    return requiresApproval;
  }

  /** Refuses what a key that only submits for approval may not do (approve, publish now, make keys). */
  public void requireFullKey(String what) {
    if (requiresApproval) {
      throw new ProblemException(403, "approval_required", "This key submits for approval", "this API key's posts wait for approval,"
          + " so it cannot " + what + "; use a key without requires_approval");
    }
  }

  void rateLimit(dev.postflow.posts.ratelimit.RateLimiter.Decision decision) {
    this.rateLimit = decision;
  }

  /** This request's rate-limit decision; null for the admin key and unauthenticated requests. */
  public dev.postflow.posts.ratelimit.RateLimiter.Decision rateLimit() {
    return rateLimit;
  }

  public boolean isAdmin() {
    return admin;
  }

  /** The caller's workspace; an admin key has none and is refused where a workspace is needed. */
  public String workspaceId() {
    if (workspaceId == null) {
      throw new ProblemException(403, "workspace_key_required", "Workspace key required",
          "use an API key of a workspace for this request, not the admin key");
    }
    return workspaceId;
  }

  /** null for the admin key */
  public String workspaceIdOrNull() {
    return workspaceId;
  }

  public void requireAdmin() {
    if (!admin) {
      throw new ProblemException(403, "admin_key_required", "Admin key required", "this request needs the operator's admin key");
    }
  }
}
