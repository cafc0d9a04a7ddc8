import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, key, account] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } });
const client = new Client({ name: "sdk-check", version: "1.0.0" });
await client.connect(transport);
console.log("server:", JSON.stringify(client.getServerVersion()), "protocol:", transport.protocolVersion);
const tools = await client.listTools();
console.log("tools:", tools.tools.map(t => t.name).join(", "));
const accounts = await client.callTool({ name: "list_accounts", arguments: {} });
console.log("list_accounts isError:", accounts.isError, "accounts:", accounts.structuredContent.data.length);
const at = new Date(Date.now() + 3600_000).toISOString();
const created = await client.callTool({ name: "create_post", arguments: { text: "from the official MCP SDK", account_ids: [account], scheduled_at: at, idempotency_key: "sdk-" + Date.now() } });
console.log("create_post isError:", created.isError, "status:", created.structuredContent.status, "id:", created.structuredContent.id);
const refused = await client.callTool({ name: "create_post", arguments: { text: "x", account_ids: ["acc_nope"] } });
console.log("refused isError:", refused.isError, "errors:", JSON.stringify(refused.structuredContent.errors.map(e => e.code)));
const cancelled = await client.callTool({ name: "cancel_post", arguments: { post_id: created.structuredContent.id } });
console.log("cancel_post:", cancelled.structuredContent.status);
// A local file's bytes: an upload URL from the server, a plain PUT, then the media (a 1x1 PNG).
const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const upload = await client.callTool({ name: "create_media_upload", arguments: { content_type: "image/png", size_bytes: png.length } });
console.log("create_media_upload isError:", upload.isError, "status:", upload.structuredContent.status);
const put = await fetch(upload.structuredContent.upload_url, { method: "PUT", headers: upload.structuredContent.upload_headers, body: png });
console.log("PUT upload_url:", put.status);
const media = await client.callTool({ name: "complete_media_upload", arguments: { upload_id: upload.structuredContent.id } });
console.log("complete_media_upload isError:", media.isError, "media:", media.structuredContent.id, media.structuredContent.mime_type,
  media.structuredContent.width + "x" + media.structuredContent.height);
const link = await client.callTool({ name: "create_connect_link", arguments: { redirect_uri: "https://agent.example/done", platforms: ["sandbox", "mastodon"] } });
const page = await fetch(link.structuredContent.url);
console.log("create_connect_link isError:", link.isError, "page:", page.status, (await page.text()).includes("Connect Mastodon") ? "offers Mastodon" : "?");
// Published now with one repeat, then its text edited on the platform: polled with a deadline until each step shows.
const until = async (what, check) => {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise(r => setTimeout(r, 250))) {
    const found = await check();
    if (found) return found;
  }
  throw new Error("timed out waiting for " + what);
};
// Each run its own words: the same text to the same account within 24 h is refused as a duplicate (checked below).
const run = Date.now().toString(36);
const now = await client.callTool({ name: "create_post", arguments: { text: `evergreen from an agent (${run})`, account_ids: [account], publish_now: true,
  repost: { times: 1, every_days: 7, texts: [`evergreen from an agent, again (${run})`] } } });
const postId = now.structuredContent.id;
const out = await until("published and repeated", async () => {
  const p = (await client.callTool({ name: "get_post", arguments: { post_id: postId } })).structuredContent;
  return p.status === "published" && p.reposted_as ? p : null;
});
const twice = await client.callTool({ name: "create_post", arguments: { text: `evergreen from an agent (${run})`, account_ids: [account], publish_now: true } });
console.log("the same post again isError:", twice.isError, "code:", twice.structuredContent.code,
  "names the first:", twice.structuredContent.errors?.[0]?.post_id === postId);
const chain = await client.callTool({ name: "list_posts", arguments: { repost_of: postId } });
console.log("repost: published, repeat", chain.structuredContent.data[0].status, "at", chain.structuredContent.data[0].scheduled_at,
  "text:", JSON.stringify(chain.structuredContent.data[0].text));
const edit = await client.callTool({ name: "edit_published_post", arguments: { post_id: postId, text: `evergreen from an agent (${run}, edited)` } });
console.log("edit_published_post isError:", edit.isError, "status:", edit.structuredContent.status);
const edited = await until("edited", async () => {
  const p = (await client.callTool({ name: "get_post", arguments: { post_id: postId } })).structuredContent;
  return p.status === "published" && p.targets[0].edited_at ? p : null;
});
console.log("edited:", JSON.stringify(edited.targets[0].text), "at", edited.targets[0].edited_at);
await client.close();
