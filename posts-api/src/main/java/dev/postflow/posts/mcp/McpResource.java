package dev.postflow.posts.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.posts.workspace.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The Model Context Protocol server (Streamable HTTP transport, stateless): an AI agent (Claude, ChatGPT, Cursor, …)
 * connects to {@code /v1/mcp} with the workspace's API key as Bearer token and gets {@link McpTools}: list accounts,
 * read a platform's rules, validate, create (idempotently), list, get, edit and cancel posts. Each POST carries one
 * JSON-RPC 2.0 message: a request is answered with its JSON-RPC response (application/json), a notification or a
 * response with 202 and no body. No session is kept (every request carries the key), and the server sends nothing
 * unasked, so GET (a server-to-client stream) and DELETE (ending a session) answer 405.
 */
@Path("/v1/mcp")
public class McpResource {
  /** The protocol revisions this server speaks, newest first (the answer to an unknown one is the newest). */
  static final List<String> PROTOCOL_VERSIONS = List.of("2025-06-18", "2025-03-26", "2024-11-05");

  @Inject Caller caller;
  @Inject McpTools tools;
  @Inject ObjectMapper json;

  /** Browser origins whose pages may call the MCP server (agents outside a browser send no Origin); none by default. */
  @org.eclipse.microprofile.config.inject.ConfigProperty(name = "postflow.mcp.allowed-origins")
  java.util.Optional<List<String>> allowedOrigins;

  @Operation(summary = "MCP (Model Context Protocol, Streamable HTTP): one JSON-RPC message per POST; tools for accounts and posts")
  @POST
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> message(String body, @HeaderParam("MCP-Protocol-Version") String protocolVersion, @HeaderParam("Origin") String origin) {
    String workspaceId = caller.workspaceId();
    if (origin != null && !allowedOrigins.orElse(List.of()).contains(origin)) {
      // the transport's rule against DNS rebinding: a browser page may call only from an origin the operator allowed
      return answer(403, error(null, -32600, "origin " + origin + " is not allowed (postflow.mcp.allowed-origins)"));
    }
    if (protocolVersion != null && !PROTOCOL_VERSIONS.contains(protocolVersion)) {
      return answer(400, error(null, -32600, "unsupported MCP-Protocol-Version " + protocolVersion + "; this server speaks " + PROTOCOL_VERSIONS));
    }
    JsonNode message;
    try {
      message = json.readTree(body == null ? "" : body);
    } catch (Exception e) {
      return answer(400, error(null, -32700, "parse error: the body is not JSON"));
    }
    if (message == null || !message.isObject() || !"2.0".equals(message.path("jsonrpc").asText())) {
      return answer(400, error(null, -32600, "invalid request: one JSON-RPC 2.0 message object per POST (no batches)"));
    }
    if (!message.has("method") || !message.has("id") || message.get("id").isNull()) {
      return Uni.createFrom().item(Response.accepted().build()); // a notification (initialized, cancelled) or a response
    }
    JsonNode id = message.get("id");
    JsonNode params = message.path("params");
    return switch (message.path("method").asText()) {
      case "initialize" -> answer(200, result(id, initialize(params)));
      case "ping" -> answer(200, result(id, Map.of()));
      case "tools/list" -> answer(200, result(id, Map.of("tools", tools.list())));
      case "tools/call" -> {
        String name = params.path("name").asText("");
        if (!tools.exists(name)) yield answer(200, error(id, -32602, "unknown tool '" + name + "'; tools/list names them"));
        yield tools.call(workspaceId, name, params.get("arguments")).map(outcome -> {
          Map<String, Object> result = new LinkedHashMap<>();
          result.put("content", List.of(Map.of("type", "text", "text", tools.text(outcome.content()))));
          result.put("structuredContent", outcome.content());
          result.put("isError", outcome.error());
          return json(200, result(id, result));
        });
      }
      default -> answer(200, error(id, -32601, "method not found: " + message.path("method").asText()));
    };
  }

  @GET
  public Response stream() {
    return Response.status(405).header("Allow", "POST").build();
  }

  @DELETE
  public Response endSession() {
    return Response.status(405).header("Allow", "POST").build();
  }

  private Map<String, Object> initialize(JsonNode params) {
    String asked = params.path("protocolVersion").asText("");
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("protocolVersion", PROTOCOL_VERSIONS.contains(asked) ? asked : PROTOCOL_VERSIONS.get(0));
    result.put("capabilities", Map.of("tools", Map.of("listChanged", false)));
    result.put("serverInfo", McpTools.serverInfo());
    result.put("instructions", "Social media scheduling for this workspace's connected accounts. list_accounts gives the account ids posts"
        + " need; validate_post before create_post shows every problem at once; give create_post an idempotency_key so a repeated call"
        + " never posts twice; times are RFC 3339 with an offset.");
    return result;
  }

  private static Map<String, Object> result(JsonNode id, Object result) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("jsonrpc", "2.0");
    response.put("id", id);
    response.put("result", result);
    return response;
  }

  private static Map<String, Object> error(JsonNode id, int code, String message) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("jsonrpc", "2.0");
    response.put("id", id);
    response.put("error", Map.of("code", code, "message", message));
    return response;
  }

  private Uni<Response> answer(int status, Map<String, Object> body) {
    return Uni.createFrom().item(json(status, body));
  }

  private Response json(int status, Map<String, Object> body) {
    try {
      return Response.status(status).type(MediaType.APPLICATION_JSON).entity(json.writeValueAsString(body)).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

}
