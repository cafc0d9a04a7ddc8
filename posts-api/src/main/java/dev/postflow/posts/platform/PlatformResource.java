package dev.postflow.posts.platform;

import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.posts.ListPage;
import dev.postflow.posts.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Comparator;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The platforms and what each takes: the rules every post is checked against (PlatformRules). */
@Path("/v1/platforms")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformResource {
  @Operation(summary = "Every platform and what it takes: text limits, media, options")
  @GET
  public ListPage<PlatformView> list() {
    return ListPage.of(PlatformRules.BY_PLATFORM.values().stream().sorted(Comparator.comparing(PlatformRules::platform))
        .map(PlatformView::of).toList());
  }

  @Operation(summary = "What one platform takes: text limits, media, options")
  @GET
  @Path("/{platform}")
  public PlatformView get(@PathParam("platform") String platform) {
    PlatformRules rules = PlatformRules.of(platform);
    if (rules == null) throw ProblemException.notFound("platform " + platform);
    return PlatformView.of(rules);
  }
}
