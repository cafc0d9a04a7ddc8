package dev.postflow.posts.workspace;

import dev.postflow.contract.Ids;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;

@ApplicationScoped
public class WorkspaceService {
  @Inject ApiKeyService apiKeys;

  public record CreatedWorkspace(Workspace workspace, String apiKey) {}

  /** Creates the workspace with its first API key, in one transaction. */
  @WithTransaction
  public Uni<CreatedWorkspace> create(String name) {
    Workspace workspace = new Workspace();
    workspace.id = Ids.newId("ws");
    workspace.name = name;
    workspace.createdAt = Instant.now();
    return workspace.persist()
        .chain(() -> apiKeys.issue(workspace.id, "default"))
        .map(issued -> new CreatedWorkspace(workspace, issued.secret()));
  }
}
