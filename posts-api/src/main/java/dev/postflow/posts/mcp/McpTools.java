package dev.postflow.posts.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postflow.contract.platform.PlatformRules;
import dev.postflow.posts.account.AccountService;
import dev.postflow.posts.connect.ConnectLinks;
import dev.postflow.posts.media.MediaUploads;
import dev.postflow.posts.messaging.OutboxRelay;
import dev.postflow.posts.platform.PlatformView;
import dev.postflow.posts.post.PostLifecycle;
import dev.postflow.posts.post.PostPatch;
import dev.postflow.posts.post.PostRequest;
import dev.postflow.posts.post.PostService;
import dev.postflow.posts.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tools an AI agent gets over MCP ({@link McpResource}): the same operations as the REST API, on the caller's
 * workspace, through the same services, so they are checked, idempotent and evented the same way. A tool's result is
 * what the REST answer's body would be; a refusal is the same problem document, as a tool error the model can read
 * and act on (every field's error at once). Approving is left out on purpose: an agent may submit a post for a person's
 * approval (requires_approval), never approve it.
 */
@ApplicationScoped
public class McpTools {
  @Inject ObjectMapper json;
  @Inject AccountService accounts;
  @Inject PostService posts;
  @Inject PostLifecycle lifecycle;
  @Inject OutboxRelay relay;
  @Inject dev.postflow.posts.queue.QueueService queues;
  @Inject dev.postflow.posts.media.MediaService media;
  @Inject MediaUploads uploads;
  @Inject ConnectLinks links;
  @Inject dev.postflow.posts.workspace.Caller caller;

  @ConfigProperty(name = "postflow.schedule-horizon", defaultValue = "P365D")
  Duration horizon;

  /** The post fields of create_post and validate_post: POST /v1/posts' body. */
  private static final String POST_PROPERTIES = """
      "text": {"type": "string", "description": "The post's text (each platform's limit in its own unit: see get_platform_rules)"},
      "account_ids": {"type": "array", "items": {"type": "string"}, "description": "The accounts to publish to (ids from list_accounts)"},
      "targets": {"type": "array", "description": "Per-account overrides instead of account_ids",
        "items": {"type": "object", "properties": {"account_id": {"type": "string"}, "text": {"type": "string"},
          "media_ids": {"type": "array", "items": {"type": "string"}}, "platform_options": {"type": "object"}}, "required": ["account_id"]}},
      "media_ids": {"type": "array", "items": {"type": "string"}, "description": "Media ids from import_media or complete_media_upload"},
      "platform_options": {"type": "object", "description": "Per platform, e.g. {\\"youtube\\": {\\"title\\": \\"…\\", \\"privacy\\": \\"public\\"}}"},
      "scheduled_at": {"type": "string", "description": "RFC 3339 time with an offset (2026-06-01T09:00:00+02:00); or a local time with time_zone"},
      "time_zone": {"type": "string", "description": "IANA zone for a scheduled_at without offset, e.g. Europe/Berlin"},
      "queue_id": {"type": "string", "description": "Take the next free slot of this posting queue instead of scheduled_at"},
      "publish_now": {"type": "boolean"},
      "draft": {"type": "boolean", "description": "Store without scheduling"},
      "requires_approval": {"type": "boolean", "description": "Hold the post for a person's approval (pending_approval); it goes out at scheduled_at or queue_id's slot, or at once with publish_now, only once approved. Agents cannot approve."},
      "repost": {"type": "object", "description": "Publish it again every_days after it went out, times more times (each repeat a scheduled post of its own)",
        "properties": {"times": {"type": "integer", "minimum": 1, "maximum": 10}, "every_days": {"type": "integer", "minimum": 1, "maximum": 365},
          "texts": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 10, "description": "The text of each repeat in turn (X and LinkedIn refuse the same text twice)"}},
        "required": ["times", "every_days"]},
      "allow_duplicate": {"type": "boolean", "description": "Post it even when an account already has a post with the same text and media within 24 h (otherwise refused: duplicate_content, naming that post)"},
      "external_id": {"type": "string", "description": "Your own id for the post"},
      "metadata": {"type": "object"}""";

  private static final String TOOLS = """
      [
       {"name": "list_accounts", "title": "List connected accounts",
        "description": "The workspace's social accounts (id, platform, handle, status, health). Posts name accounts by id.",
        "inputSchema": {"type": "object", "properties": {}}, "annotations": {"readOnlyHint": true}},
       {"name": "get_platform_rules", "title": "What a platform takes",
        "description": "A platform's text limit (in its own unit), media counts, types, sizes and durations, and every option with its allowed values.",
        "inputSchema": {"type": "object", "properties": {"platform": {"type": "string", "enum": %s}}, "required": ["platform"]},
        "annotations": {"readOnlyHint": true}},
       {"name": "validate_post", "title": "Check a post without storing it",
        "description": "Every problem of a post against each target platform's rules, at once (errors and warnings); nothing is stored.",
        "inputSchema": {"type": "object", "properties": {%s}}, "annotations": {"readOnlyHint": true}},
       {"name": "create_post", "title": "Schedule, queue, draft or publish a post",
        "description": "Creates a post for one or more accounts. Give idempotency_key when you may call again after an unanswered call: the same key never creates a second post.",
        "inputSchema": {"type": "object", "properties": {%s, "idempotency_key": {"type": "string", "description": "1 to 255 characters, unique per post you mean"}}},
        "annotations": {"destructiveHint": false, "idempotentHint": false}},
       {"name": "get_post", "title": "A post and its per-account status",
        "description": "The post, its status and each target's status, platform post id, permalink and error (with what to do).",
        "inputSchema": {"type": "object", "properties": {"post_id": {"type": "string"}}, "required": ["post_id"]}, "annotations": {"readOnlyHint": true}},
       {"name": "get_post_attempts", "title": "Every provider call made for a post",
        "description": "Each attempt per target: when, how long, the outcome, the platform's HTTP status and code, and the error with what to do. For finding out why a target failed.",
        "inputSchema": {"type": "object", "properties": {"post_id": {"type": "string"}}, "required": ["post_id"]}, "annotations": {"readOnlyHint": true}},
       {"name": "list_posts", "title": "List posts",
        "description": "Posts ordered by time (drafts last), newest filters: status, account, time range; next_cursor pages on.",
        "inputSchema": {"type": "object", "properties": {"status": {"type": "string"}, "account_id": {"type": "string"}, "platform": {"type": "string"},
          "repost_of": {"type": "string", "description": "A post's id: the repeats of its repost chain"},
          "scheduled_from": {"type": "string"}, "scheduled_to": {"type": "string"}, "cursor": {"type": "string"},
          "limit": {"type": "integer", "minimum": 1, "maximum": 100}}}, "annotations": {"readOnlyHint": true}},
       {"name": "update_post", "title": "Edit or reschedule a draft or scheduled post",
        "description": "Changes the given fields of a draft or scheduled post (text, platform_options, scheduled_at (null: back to a draft), queue_id, time_zone, external_id, metadata, repost; null clears a field). A new scheduled_at takes effect exactly. allow_duplicate: true lets a new text or time repeat another post of an account within 24 h.",
        "inputSchema": {"type": "object", "properties": {"post_id": {"type": "string"}, "changes": {"type": "object"}}, "required": ["post_id", "changes"]},
        "annotations": {"destructiveHint": false, "idempotentHint": true}},
       {"name": "cancel_post", "title": "Cancel a draft or scheduled post",
        "description": "Once answered, the post is never published.",
        "inputSchema": {"type": "object", "properties": {"post_id": {"type": "string"}}, "required": ["post_id"]},
        "annotations": {"destructiveHint": true, "idempotentHint": true}},
       {"name": "publish_post_now", "title": "Publish a draft or scheduled post now",
        "description": "Hands the post to its platforms at once; get_post shows each target's outcome. Refused (duplicate_content) when an account already has a post with the same text and media within 24 h, unless allow_duplicate.",
        "inputSchema": {"type": "object", "properties": {"post_id": {"type": "string"}, "allow_duplicate": {"type": "boolean"}}, "required": ["post_id"]},
        "annotations": {"destructiveHint": false, "idempotentHint": false}},
       {"name": "retry_post", "title": "Publish a post's failed targets again",
        "description": "For a failed or partly published post, after fixing what the targets' errors say. Targets whose outcome is unknown (unconfirmed) only with include_unconfirmed, once you checked they are not on the platform.",
        "inputSchema": {"type": "object", "properties": {"post_id": {"type": "string"}, "include_unconfirmed": {"type": "boolean"}}, "required": ["post_id"]},
        "annotations": {"destructiveHint": false, "idempotentHint": false}},
       {"name": "unpublish_post", "title": "Take a published post down",
        "description": "Deletes the post from every platform it is on (or the targets named); get_post shows each target's outcome.",
        "inputSchema": {"type": "object", "properties": {"post_id": {"type": "string"}, "target_ids": {"type": "array", "items": {"type": "string"}}},
          "required": ["post_id"]}, "annotations": {"destructiveHint": true, "idempotentHint": true}},
       {"name": "edit_published_post", "title": "Change a published post's text on its platforms",
        "description": "Sends the new text to every published target on a platform that can edit (Mastodon, Facebook, LinkedIn, Pinterest, Google Business Profile, the sandbox), or the targets named; get_post shows each target's outcome (edited_at, or the error). Not with a key that only submits for approval.",
        "inputSchema": {"type": "object", "properties": {"post_id": {"type": "string"}, "text": {"type": "string"},
          "target_ids": {"type": "array", "items": {"type": "string"}}}, "required": ["post_id", "text"]},
        "annotations": {"destructiveHint": false, "idempotentHint": true}},
       {"name": "import_media", "title": "Add media from a URL",
        "description": "Downloads an image, video, document or caption file from a public URL into the workspace's media (type, size, dimensions and duration read from the file); its id goes into create_post's media_ids.",
        "inputSchema": {"type": "object", "properties": {"url": {"type": "string"}, "alt_text": {"type": "string"},
          "idempotency_key": {"type": "string", "description": "the same key never stores the media twice"}}, "required": ["url"]},
        "annotations": {"destructiveHint": false, "idempotentHint": false, "openWorldHint": true}},
       {"name": "create_media_upload", "title": "Upload a file's bytes directly",
        "description": "For a local file: declare its content_type and size_bytes; the answer has an upload_url to PUT the bytes to, with upload_headers, before expires_at (no API key needed for it). Then call complete_media_upload.",
        "inputSchema": {"type": "object", "properties": {"content_type": {"type": "string", "description": "image/jpeg, image/png, image/gif, image/webp, video/mp4, video/quicktime, application/pdf, .pptx, .docx or text/vtt"},
          "size_bytes": {"type": "integer", "minimum": 1}, "alt_text": {"type": "string"},
          "idempotency_key": {"type": "string", "description": "the same key answers the same upload"}}, "required": ["content_type", "size_bytes"]},
        "annotations": {"destructiveHint": false, "idempotentHint": false}},
       {"name": "complete_media_upload", "title": "Turn uploaded bytes into media",
        "description": "After the bytes were PUT to the upload_url: checks them against the declared type and size and answers the media, whose id goes into create_post's media_ids. Calling it again answers the same media.",
        "inputSchema": {"type": "object", "properties": {"upload_id": {"type": "string"}}, "required": ["upload_id"]},
        "annotations": {"destructiveHint": false, "idempotentHint": true}},
       {"name": "create_connect_link", "title": "A link for the user to connect accounts",
        "description": "A short-lived URL (default 1 hour) to a page where the user connects social accounts through each platform's own consent screen; give it to the user to open in a browser. They return to redirect_uri; list_accounts then shows the new accounts.",
        "inputSchema": {"type": "object", "properties": {"redirect_uri": {"type": "string", "description": "http(s) URL the user's browser returns to, with account_id or error"},
          "platforms": {"type": "array", "items": {"type": "string"}, "description": "Which platforms to offer; by default every one the workspace can connect"},
          "expires_in": {"type": "integer", "minimum": 60, "maximum": 172800}}, "required": ["redirect_uri"]},
        "annotations": {"destructiveHint": false, "idempotentHint": false}},
       {"name": "list_queues", "title": "List posting queues",
        "description": "The workspace's posting queues (weekly slots in a time zone); create_post with queue_id takes a queue's next free slot.",
        "inputSchema": {"type": "object", "properties": {}}, "annotations": {"readOnlyHint": true}}
      ]""";

  private List<JsonNode> definitions;

  @jakarta.annotation.PostConstruct
  void readDefinitions() {
    try {
      String platforms = json.writeValueAsString(PlatformRules.BY_PLATFORM.keySet().stream().sorted().toList());
      definitions = List.copyOf(json.readTree(TOOLS.formatted(platforms, POST_PROPERTIES, POST_PROPERTIES)).valueStream().toList());
    } catch (Exception e) {
      throw new IllegalStateException("the MCP tool definitions are not JSON", e);
    }
  }

  /** Every tool with its name, description and JSON Schema of its arguments. */
  public List<JsonNode> list() {
    return definitions;
  }

  public boolean exists(String name) {
    return list().stream().anyMatch(tool -> tool.path("name").asText().equals(name));
  }

  /** A tool's result: its structured content, and whether it is an error (a problem document). */
  public record Result(JsonNode content, boolean error) {}

  /** Runs the tool on the workspace; a refusal or failure is the problem document REST would answer, as an error result. */
  public Uni<Result> call(String workspaceId, String name, JsonNode arguments) {
    ObjectNode args = arguments != null && arguments.isObject() ? (ObjectNode) arguments.deepCopy() : json.createObjectNode();
    return Uni.createFrom().deferred(() -> {
          try {
            return run(workspaceId, name, args);
          } catch (Exception unreadable) { // arguments that do not read as the request (unknown field, wrong type): a problem like REST's
            return Uni.createFrom().failure(unreadable);
          }
        })
        .map(value -> new Result(json.valueToTree(value), false))
        .onFailure().recoverWithItem(failure -> {
          Response problem = dev.postflow.posts.problem.ProblemMappers.toResponse(failure);
          return new Result(json.valueToTree(problem.getEntity()), true);
        });
  }

  private Uni<?> run(String workspaceId, String name, ObjectNode args) throws Exception {
    return switch (name) {
      case "list_accounts" -> accounts.list(workspaceId).map(all -> Map.of("data", all));
      case "get_platform_rules" -> {
        PlatformRules rules = PlatformRules.of(args.path("platform").asText());
        if (rules == null) throw ProblemException.invalidField("platform", "platform_not_supported", "give one of " + PlatformRules.BY_PLATFORM.keySet());
        yield Uni.createFrom().item(PlatformView.of(rules));
      }
      case "validate_post" -> posts.validate(workspaceId, json.treeToValue(args, PostRequest.class));
      case "create_post" -> {
        JsonNode key = args.remove("idempotency_key");
        PostRequest request = json.treeToValue(args, PostRequest.class);
        yield posts.createOnce(workspaceId, key == null ? null : key.asText(), request).invoke(relay::wake)
            .map(response -> response.getEntity() instanceof String stored ? readTree(stored) : response.getEntity());
      }
      case "get_post" -> posts.get(workspaceId, required(args, "post_id"));
      case "get_post_attempts" -> posts.attemptLog(workspaceId, required(args, "post_id")).map(all -> Map.of("data", all));
      case "list_posts" -> posts.list(workspaceId, PostService.ListQuery.parse(text(args, "status"), text(args, "account_id"), text(args, "platform"),
          null, null, text(args, "repost_of"), text(args, "scheduled_from"), text(args, "scheduled_to"), text(args, "cursor"), text(args, "limit")));
      case "update_post" -> {
        PostPatch patch = PostPatch.check(args.path("changes"), Instant.now(), horizon);
        yield lifecycle.update(workspaceId, required(args, "post_id"), patch, null, caller.requiresApproval()).invoke(relay::wake);
      }
      case "cancel_post" -> lifecycle.cancel(workspaceId, required(args, "post_id"), null).invoke(relay::wake);
      case "publish_post_now" -> {
        caller.requireFullKey("publish posts now");
        yield lifecycle.publishNow(workspaceId, required(args, "post_id"), null, args.path("allow_duplicate").asBoolean(false)).invoke(relay::wake);
      }
      case "retry_post" -> lifecycle.retry(workspaceId, required(args, "post_id"), args.path("include_unconfirmed").asBoolean(false), null)
          .invoke(relay::wake);
      case "unpublish_post" -> {
        List<String> targetIds = args.hasNonNull("target_ids") ? json.convertValue(args.get("target_ids"),
            new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {}) : null;
        yield lifecycle.unpublish(workspaceId, required(args, "post_id"), targetIds, null).invoke(relay::wake);
      }
      case "edit_published_post" -> {
        caller.requireFullKey("edit published posts");
        List<String> targetIds = args.hasNonNull("target_ids") ? json.convertValue(args.get("target_ids"),
            new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {}) : null;
        String text = required(args, "text");
        yield lifecycle.edit(workspaceId, required(args, "post_id"), text, targetIds, null).invoke(relay::wake);
      }
      case "list_queues" -> queues.list(workspaceId).map(all -> Map.of("data", all));
      case "import_media" -> {
        String url = required(args, "url");
        // downloading and storing block: on a worker, as POST /v1/media is
        yield io.vertx.mutiny.core.Vertx.currentContext().executeBlocking(Uni.createFrom().item(() -> {
          Response saved = media.save(workspaceId, text(args, "idempotency_key"), media.importFrom(url, text(args, "alt_text")));
          return saved.getEntity() instanceof String stored ? readTree(stored) : saved.getEntity();
        }));
      }
      case "create_media_upload" -> {
        JsonNode key = args.remove("idempotency_key");
        yield uploads.create(workspaceId, key == null ? null : key.asText(), json.treeToValue(args, MediaUploads.UploadRequest.class))
            .map(response -> response.getEntity() instanceof String stored ? readTree(stored) : response.getEntity());
      }
      case "complete_media_upload" -> {
        String uploadId = required(args, "upload_id");
        // reading the bytes back and inspecting them block: on a worker, as the REST endpoint is
        yield io.vertx.mutiny.core.Vertx.currentContext().executeBlocking(Uni.createFrom().item(
            () -> uploads.complete(workspaceId, uploadId).getEntity()));
      }
      case "create_connect_link" -> {
        ConnectLinks.LinkRequest request = json.treeToValue(args, ConnectLinks.LinkRequest.class);
        // reading the workspace's OAuth apps blocks: on a worker, as the REST endpoint is
        yield io.vertx.mutiny.core.Vertx.currentContext().executeBlocking(Uni.createFrom().item(() -> links.create(workspaceId, request)));
      }
      default -> throw new IllegalArgumentException("no tool " + name);
    };
  }

  private static String required(JsonNode args, String field) {
    String value = text(args, field);
    if (value == null) throw ProblemException.invalidField(field, "required", field + " is required");
    return value;
  }

  private static String text(JsonNode args, String field) {
    JsonNode value = args.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private JsonNode readTree(String stored) {
    try {
      return json.readTree(stored);
    } catch (Exception e) {
      throw new IllegalStateException("a stored answer is not JSON", e);
    }
  }

  /** For tools/call's text content: the result as JSON text. */
  String text(JsonNode content) {
    try {
      return json.writeValueAsString(content);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> serverInfo() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("name", "postflow");
    info.put("title", "Postflow social media scheduling");
    info.put("version", "1.0");
    return info;
  }
}
