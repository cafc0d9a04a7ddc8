package dev.postflow.posts;

import static dev.postflow.posts.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The MCP server as an AI agent's client uses it (Streamable HTTP, JSON-RPC 2.0): initialize, list the tools, then
 * work on the workspace's posts; refusals come back as tool errors carrying the problem document.
 */
@QuarkusTest
class McpTest {
  @Test
  void anAgentInitializesListsToolsAndSchedulesAPostOnce() throws Exception {
    String key = Api.newWorkspace();
    String account = as(key).body(Map.of("platform", "sandbox", "external_id", "mcp-" + UUID.randomUUID(), "access_token", "t"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");

    rpc(key, null, Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params",
        Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "test-agent", "version", "1"))))
        .statusCode(200).contentType(ContentType.JSON).body("jsonrpc", equalTo("2.0")).body("id", equalTo(1))
        .body("result.protocolVersion", equalTo("2025-06-18")).body("result.capabilities.tools", notNullValue())
        .body("result.serverInfo.name", equalTo("postflow"));
    rpc(key, "2025-06-18", Map.of("jsonrpc", "2.0", "method", "notifications/initialized")).statusCode(202);
    rpc(key, "2025-06-18", Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/list")).statusCode(200)
        .body("result.tools.name", hasItems("list_accounts", "get_platform_rules", "validate_post", "create_post", "get_post", "list_posts",
            "update_post", "cancel_post", "publish_post_now", "retry_post", "unpublish_post", "edit_published_post", "list_queues", "import_media",
            "get_post_attempts",
            "create_media_upload", "complete_media_upload", "create_connect_link"))
        .body("result.tools.find { it.name == 'create_post' }.inputSchema.properties.idempotency_key.type", equalTo("string"));

    JsonPath accounts = call(key, "list_accounts", Map.of());
    assertEquals(false, accounts.getBoolean("result.isError"));
    assertEquals(account, accounts.getString("result.structuredContent.data[0].id"));

    // A bad post: every problem at once, as a tool error the model can read.
    JsonPath refused = call(key, "create_post", Map.of("text", "x", "account_ids", List.of(account, "acc_missing"), "scheduled_at", "2026-06-01T09:00"));
    assertEquals(true, refused.getBoolean("result.isError"));
    assertEquals(List.of("scheduled_at", "account_ids[1]"), refused.getList("result.structuredContent.errors.field"));
    assertEquals("validation_failed", refused.getString("result.structuredContent.code"));

    // Created with a key, then the same call again (an agent retrying an unanswered call): one post.
    String at = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, Object> post = Map.of("text", "from an agent", "account_ids", List.of(account), "scheduled_at", at, "idempotency_key", "agent-1");
    JsonPath created = call(key, "create_post", post);
    assertEquals(false, created.getBoolean("result.isError"), created.prettify());
    String postId = created.getString("result.structuredContent.id");
    assertEquals("scheduled", created.getString("result.structuredContent.status"));
    assertEquals(postId, call(key, "create_post", post).getString("result.structuredContent.id"), "the same key: the same post");
    as(key).get("/v1/posts?account_id=" + account).then().statusCode(200).body("data.size()", equalTo(1));
    assertEquals(postId, new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.getString("result.content[0].text")).path("id").asText(),
        "the text content is the same JSON");

    String later = Instant.now().plus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    JsonPath moved = call(key, "update_post", Map.of("post_id", postId, "changes", Map.of("scheduled_at", later,
        "repost", Map.of("times", 2, "every_days", 7))));
    assertEquals(Instant.parse(later), Instant.parse(moved.getString("result.structuredContent.scheduled_at")));
    assertEquals(2, moved.getInt("result.structuredContent.repost.times"), moved.prettify());
    assertEquals(postId, call(key, "list_posts", Map.of("status", "scheduled")).getString("result.structuredContent.data[0].id"));
    assertEquals("cancelled", call(key, "cancel_post", Map.of("post_id", postId)).getString("result.structuredContent.status"));
    assertEquals("cancelled", call(key, "get_post", Map.of("post_id", postId)).getString("result.structuredContent.status"));
    assertEquals("not_found", call(key, "get_post", Map.of("post_id", "post_missing")).getString("result.structuredContent.code"));
    assertEquals(300, call(key, "get_platform_rules", Map.of("platform", "bluesky")).getInt("result.structuredContent.text.max"));

    // A draft published now: its publish request goes out; the publisher's answer (sent here as it would) publishes it.
    String now = call(key, "create_post", Map.of("text", "now from an agent", "account_ids", List.of(account), "draft", true))
        .getString("result.structuredContent.id");
    assertEquals("publishing", call(key, "publish_post_now", Map.of("post_id", now)).getString("result.structuredContent.status"));
    var request = dev.postflow.testsupport.KafkaTopics.await(dev.postflow.contract.Topics.PUBLISH_REQUESTS, r -> r.value().contains(now), 1,
        java.time.Duration.ofSeconds(20)).get(0);
    String targetId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(request.value()).path("target_id").asText();
    dev.postflow.testsupport.KafkaTopics.send(dev.postflow.contract.Topics.PUBLISH_RESULTS, now, "{\"request_id\":\"" + targetId + ".1\",\"post_id\":\""
        + now + "\",\"target_id\":\"" + targetId + "\",\"outcome\":\"published\",\"platform_post_id\":\"sbx_mcp\",\"permalink\":\"http://sandbox/p/sbx_mcp\","
        + "\"published_at\":\"2026-06-01T09:00:01Z\",\"started_at\":\"2026-06-01T09:00:00Z\",\"duration_ms\":12,\"http_status\":201}");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> "published".equals(call(key, "get_post", Map.of("post_id", now)).getString("result.structuredContent.status")));
    assertEquals("invalid_state", call(key, "retry_post", Map.of("post_id", now)).getString("result.structuredContent.code"), "nothing failed");
    JsonPath attempts = call(key, "get_post_attempts", Map.of("post_id", now));
    assertEquals(List.of("published"), attempts.getList("result.structuredContent.data.outcome"));
    assertEquals(201, attempts.getInt("result.structuredContent.data[0].http_status"));
    assertEquals("unpublishing", call(key, "unpublish_post", Map.of("post_id", now)).getString("result.structuredContent.status"));
    assertEquals(0, call(key, "list_queues", Map.of()).getList("result.structuredContent.data").size());
    // A link for the user to connect accounts in a browser.
    JsonPath link = call(key, "create_connect_link", Map.of("redirect_uri", "https://agent.example/done", "platforms", List.of("sandbox")));
    assertEquals(false, link.getBoolean("result.isError"), link.prettify());
    String page = link.getString("result.structuredContent.url");
    given().get(page.substring(page.indexOf("/connect/"))).then().statusCode(200).body(containsString("Connect Sandbox"));
    assertEquals("invalid_url", call(key, "create_connect_link", Map.of("redirect_uri", "nowhere")).getString("result.structuredContent.errors[0].code"));
    // An agent submits a post for a person's approval; there is no tool to approve it.
    assertEquals("pending_approval", call(key, "create_post", Map.of("text", "for review", "account_ids", List.of(account), "publish_now", true,
        "requires_approval", true)).getString("result.structuredContent.status"));
    assertEquals(-32602, call(key, "approve_post", Map.of("post_id", "post_x")).getInt("error.code"));
    // An agent's key made with requires_approval: its posts wait, and it cannot publish now.
    String agent = as(key).body(Map.of("name", "agent", "requires_approval", true)).post("/v1/api-keys").then().statusCode(201).extract().path("api_key");
    JsonPath held = call(agent, "create_post", Map.of("text", "agent post", "account_ids", List.of(account), "publish_now", true));
    assertEquals("pending_approval", held.getString("result.structuredContent.status"), held.prettify());
    assertEquals("approval_required", call(agent, "publish_post_now", Map.of("post_id", held.getString("result.structuredContent.id")))
        .getString("result.structuredContent.code"));
    assertEquals("approval_required", call(agent, "edit_published_post", Map.of("post_id", held.getString("result.structuredContent.id"),
        "text", "changed unseen")).getString("result.structuredContent.code"));

    // Media from a URL (refused where the SSRF guard refuses it), then used in a post.
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    byte[] png = dev.postflow.testsupport.MediaFiles.png(64, 48);
    server.createContext("/cat.png", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "image/png");
      exchange.sendResponseHeaders(200, png.length);
      exchange.getResponseBody().write(png);
      exchange.close();
    });
    server.start();
    try {
      JsonPath imported = call(key, "import_media", Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/cat.png", "alt_text", "a cat",
          "idempotency_key", "agent-media-1"));
      assertEquals(false, imported.getBoolean("result.isError"), imported.prettify());
      String mediaId = imported.getString("result.structuredContent.id");
      assertEquals(64, imported.getInt("result.structuredContent.width"));
      assertEquals(mediaId, call(key, "import_media", Map.of("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/cat.png",
          "alt_text", "a cat", "idempotency_key", "agent-media-1")).getString("result.structuredContent.id"), "the same key: the same media");
      assertEquals(false, call(key, "create_post", Map.of("text", "with a cat", "account_ids", List.of(account), "media_ids", List.of(mediaId),
          "draft", true)).getBoolean("result.isError"));
    } finally {
      server.stop(0);
    }
    assertEquals("unsafe_url", call(key, "import_media", Map.of("url", "http://169.254.169.254/latest/meta-data")).getString("result.structuredContent.code"));

    // A local file: an upload URL for its bytes, then the media.
    byte[] jpeg = dev.postflow.testsupport.MediaFiles.jpeg(80, 60);
    JsonPath upload = call(key, "create_media_upload", Map.of("content_type", "image/jpeg", "size_bytes", jpeg.length, "idempotency_key", "agent-upload-1"));
    assertEquals(false, upload.getBoolean("result.isError"), upload.prettify());
    String uploadId = upload.getString("result.structuredContent.id");
    assertEquals(uploadId, call(key, "create_media_upload", Map.of("content_type", "image/jpeg", "size_bytes", jpeg.length,
        "idempotency_key", "agent-upload-1")).getString("result.structuredContent.id"), "the same key: the same upload");
    assertEquals("upload_missing", call(key, "complete_media_upload", Map.of("upload_id", uploadId)).getString("result.structuredContent.code"));
    String uploadUrl = upload.getString("result.structuredContent.upload_url");
    given().contentType("image/jpeg").body(jpeg).put(uploadUrl.substring(uploadUrl.indexOf("/media/"))).then().statusCode(200);
    JsonPath completed = call(key, "complete_media_upload", Map.of("upload_id", uploadId));
    assertEquals(false, completed.getBoolean("result.isError"), completed.prettify());
    assertEquals(80, completed.getInt("result.structuredContent.width"));
    assertEquals(List.of("content_type", "size_bytes"), call(key, "create_media_upload", Map.of())
        .getList("result.structuredContent.errors.field"));
  }

  @Test
  void protocolMistakesAreJsonRpcErrorsAndTheKeyIsRequired() {
    String key = Api.newWorkspace();
    given().contentType(ContentType.JSON).body(Map.of("jsonrpc", "2.0", "id", 1, "method", "ping")).post("/v1/mcp").then().statusCode(401);
    rpc(key, null, Map.of("jsonrpc", "2.0", "id", 1, "method", "ping")).statusCode(200).body("result", equalTo(Map.of()));
    rpc(key, null, Map.of("jsonrpc", "2.0", "id", 2, "method", "resources/list")).statusCode(200).body("error.code", equalTo(-32601));
    rpc(key, null, Map.of("jsonrpc", "2.0", "id", 3, "method", "tools/call", "params", Map.of("name", "delete_everything"))).statusCode(200)
        .body("error.code", equalTo(-32602));
    rpc(key, "1999-01-01", Map.of("jsonrpc", "2.0", "id", 4, "method", "ping")).statusCode(400).body("error.code", equalTo(-32600));
    given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body("{not json").post("/v1/mcp").then().statusCode(400)
        .body("error.code", equalTo(-32700));
    given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body("[]").post("/v1/mcp").then().statusCode(400)
        .body("error.code", equalTo(-32600));
    given().header("Authorization", "Bearer " + key).get("/v1/mcp").then().statusCode(405);
    // A browser page of another origin (DNS rebinding) is refused.
    given().header("Authorization", "Bearer " + key).header("Origin", "http://evil.example").contentType(ContentType.JSON)
        .body(Map.of("jsonrpc", "2.0", "id", 7, "method", "ping")).post("/v1/mcp").then().statusCode(403);
    // An old client's protocol version is answered with it; an unknown one with ours.
    rpc(key, null, Map.of("jsonrpc", "2.0", "id", 5, "method", "initialize", "params", Map.of("protocolVersion", "2025-03-26")))
        .body("result.protocolVersion", equalTo("2025-03-26"));
    rpc(key, null, Map.of("jsonrpc", "2.0", "id", 6, "method", "initialize", "params", Map.of("protocolVersion", "2030-01-01")))
        .body("result.protocolVersion", equalTo("2025-06-18")).body("result.instructions", containsString("idempotency_key"));
  }

  /** Arguments of the wrong shape are tool errors with the API's problem codes, never a server error. */
  @Test
  void badArgumentsAreToolErrorsWithProblemCodes() {
    String key = Api.newWorkspace();
    Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
    cases.put("unknown_field", Map.of("text", "x", "colour", "red"));
    cases.put("invalid_type", Map.of("text", 5, "account_ids", "acc_1"));
    cases.put("validation_failed", Map.of());
    for (var bad : cases.entrySet()) {
      JsonPath answer = call(key, "create_post", bad.getValue());
      assertEquals(true, answer.getBoolean("result.isError"), bad.getKey() + ": " + answer.prettify());
      int status = answer.getInt("result.structuredContent.status");
      assertEquals(400, status, bad.getKey() + ": " + answer.prettify());
    }
    assertEquals("validation_failed", call(key, "list_posts", Map.of("limit", 0, "status", "nope")).getString("result.structuredContent.code"));
    assertEquals("required", call(key, "cancel_post", Map.of()).getString("result.structuredContent.errors[0].code"));
  }

  private static io.restassured.response.ValidatableResponse rpc(String key, String protocolVersion, Map<String, Object> message) {
    var request = given().header("Authorization", "Bearer " + key).header("Accept", "application/json, text/event-stream").contentType(ContentType.JSON);
    if (protocolVersion != null) request.header("MCP-Protocol-Version", protocolVersion);
    return request.body(message).post("/v1/mcp").then();
  }

  private static JsonPath call(String key, String tool, Map<String, Object> arguments) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("name", tool);
    params.put("arguments", arguments);
    return rpc(key, "2025-06-18", Map.of("jsonrpc", "2.0", "id", UUID.randomUUID().toString(), "method", "tools/call", "params", params))
        .statusCode(200).extract().jsonPath();
  }
}
