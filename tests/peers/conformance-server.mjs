// The fixture server of the MCP conformance suite's server scenarios
// (tools test_*, resources test://…, prompts test_*), on the TypeScript SDK,
// over Streamable HTTP (session era) at http://127.0.0.1:$PORT/mcp.
// scripts/conformance runs the suite against it directly and through Warden.
import http from "node:http";
import { randomUUID } from "node:crypto";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import {
  CallToolRequestSchema, CompleteRequestSchema, GetPromptRequestSchema, ListPromptsRequestSchema,
  ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema,
  ReadResourceRequestSchema, SetLevelRequestSchema, SubscribeRequestSchema, UnsubscribeRequestSchema,
  CreateMessageResultSchema, ElicitResultSchema,
} from "@modelcontextprotocol/sdk/types.js";

const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
const WAV = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const object = (properties = {}, required = []) => ({ type: "object", properties, required });

const tools = [
  { name: "test_simple_text", description: "Returns simple text", inputSchema: object() },
  { name: "test_image_content", description: "Returns an image", inputSchema: object() },
  { name: "test_audio_content", description: "Returns audio", inputSchema: object() },
  { name: "test_embedded_resource", description: "Returns an embedded resource", inputSchema: object() },
  { name: "test_multiple_content_types", description: "Returns mixed content", inputSchema: object() },
  { name: "test_tool_with_logging", description: "Logs while running", inputSchema: object() },
  { name: "test_error_handling", description: "Always fails", inputSchema: object() },
  { name: "test_tool_with_progress", description: "Reports progress", inputSchema: object() },
  { name: "test_sampling", description: "Asks the client's LLM", inputSchema: object({ prompt: { type: "string" } }, ["prompt"]) },
  { name: "test_elicitation", description: "Asks the user", inputSchema: object({ message: { type: "string" } }, ["message"]) },
  { name: "test_elicitation_sep1034_defaults", description: "Elicitation with defaults", inputSchema: object() },
  { name: "test_elicitation_sep1330_enums", description: "Elicitation with enums", inputSchema: object() },
  {
    name: "json_schema_2020_12_tool",
    description: "Tool with JSON Schema 2020-12 features",
    inputSchema: {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      $defs: { address: { type: "object", properties: { street: { type: "string" }, city: { type: "string" } } } },
      properties: { name: { type: "string" }, address: { $ref: "#/$defs/address" } },
      additionalProperties: false,
    },
  },
];

function newServer() {
  const server = new Server(
    { name: "conformance-fixture", version: "1.0.0" },
    { capabilities: { tools: {}, resources: { subscribe: true }, prompts: {}, logging: {}, completions: {} } },
  );
  const text = (t) => ({ content: [{ type: "text", text: t }] });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(SetLevelRequestSchema, async () => ({}));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = request.params.arguments ?? {};
    switch (request.params.name) {
      case "test_simple_text": return text("This is a simple text response for testing.");
      case "test_image_content": return { content: [{ type: "image", data: PNG, mimeType: "image/png" }] };
      case "test_audio_content": return { content: [{ type: "audio", data: WAV, mimeType: "audio/wav" }] };
      case "test_embedded_resource":
        return { content: [{ type: "resource", resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." } }] };
      case "test_multiple_content_types":
        return { content: [
          { type: "text", text: "Multiple content types test:" },
          { type: "image", data: PNG, mimeType: "image/png" },
          { type: "resource", resource: { uri: "test://mixed-content-resource", mimeType: "application/json", text: '{"test":"data","value":123}' } },
        ] };
      case "test_tool_with_logging":
        for (const [i, data] of ["Tool execution started", "Tool processing data", "Tool execution completed"].entries()) {
          if (i > 0) await sleep(50);
          await extra.sendNotification({ method: "notifications/message", params: { level: "info", data } });
        }
        return text("Tool with logging executed successfully");
      case "test_error_handling": return { isError: true, content: [{ type: "text", text: "This tool intentionally returns an error for testing" }] };
      case "test_tool_with_progress": {
        const token = request.params._meta?.progressToken;
        for (const [i, progress] of [0, 50, 100].entries()) {
          if (i > 0) await sleep(50);
          if (token !== undefined) await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress, total: 100 } });
        }
        return text("Tool with progress executed successfully");
      }
      case "test_sampling": {
        const result = await extra.sendRequest({ method: "sampling/createMessage", params: {
          messages: [{ role: "user", content: { type: "text", text: args.prompt } }], maxTokens: 100 } }, CreateMessageResultSchema);
        return text(`LLM response: ${result.content?.text ?? ""}`);
      }
      case "test_elicitation": {
        const result = await extra.sendRequest({ method: "elicitation/create", params: {
          message: args.message,
          requestedSchema: object({ username: { type: "string", description: "User's response" }, email: { type: "string", description: "User's email address" } }, ["username", "email"]),
        } }, ElicitResultSchema);
        return text(`User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
      }
      case "test_elicitation_sep1034_defaults": {
        const result = await extra.sendRequest({ method: "elicitation/create", params: {
          message: "Provide defaults",
          requestedSchema: object({
            name: { type: "string", default: "John Doe" },
            age: { type: "integer", default: 30 },
            score: { type: "number", default: 95.5 },
            status: { type: "string", enum: ["active", "inactive", "pending"], default: "active" },
            verified: { type: "boolean", default: true },
          }),
        } }, ElicitResultSchema);
        return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
      }
      case "test_elicitation_sep1330_enums": {
        const result = await extra.sendRequest({ method: "elicitation/create", params: {
          message: "Pick options",
          requestedSchema: object({
            untitledSingle: { type: "string", enum: ["option1", "option2", "option3"] },
            titledSingle: { type: "string", oneOf: [{ const: "value1", title: "First Option" }, { const: "value2", title: "Second Option" }, { const: "value3", title: "Third Option" }] },
            legacyEnum: { type: "string", enum: ["opt1", "opt2", "opt3"], enumNames: ["Option One", "Option Two", "Option Three"] },
            untitledMulti: { type: "array", items: { type: "string", enum: ["option1", "option2", "option3"] } },
            titledMulti: { type: "array", items: { anyOf: [{ const: "value1", title: "First Choice" }, { const: "value2", title: "Second Choice" }, { const: "value3", title: "Third Choice" }] } },
          }),
        } }, ElicitResultSchema);
        return text(`Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`);
      }
      case "json_schema_2020_12_tool": return text(`Received: ${JSON.stringify(args)}`);
      default: return { isError: true, content: [{ type: "text", text: `unknown tool ${request.params.name}` }] };
    }
  });
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [
    { uri: "test://static-text", name: "static-text", description: "Static text", mimeType: "text/plain" },
    { uri: "test://static-binary", name: "static-binary", description: "Static binary", mimeType: "image/png" },
    { uri: "test://watched-resource", name: "watched-resource", description: "Watched", mimeType: "text/plain" },
  ] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: [
    { uriTemplate: "test://template/{id}/data", name: "template", description: "Templated data", mimeType: "application/json" },
  ] }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const uri = request.params.uri;
    if (uri === "test://static-text") return { contents: [{ uri, mimeType: "text/plain", text: "This is the content of the static text resource." }] };
    if (uri === "test://static-binary") return { contents: [{ uri, mimeType: "image/png", blob: PNG }] };
    if (uri === "test://watched-resource") return { contents: [{ uri, mimeType: "text/plain", text: "Watched resource content." }] };
    const m = /^test:\/\/template\/([^/]+)\/data$/.exec(uri);
    if (m) return { contents: [{ uri, mimeType: "application/json", text: JSON.stringify({ id: m[1], templateTest: true, data: `Data for ID: ${m[1]}` }) }] };
    throw new Error(`Resource not found: ${uri}`);
  });
  server.setRequestHandler(SubscribeRequestSchema, async () => ({}));
  server.setRequestHandler(UnsubscribeRequestSchema, async () => ({}));
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [
    { name: "test_simple_prompt", description: "A simple prompt" },
    { name: "test_prompt_with_arguments", description: "A prompt with arguments", arguments: [
      { name: "arg1", description: "First test argument", required: true }, { name: "arg2", description: "Second test argument", required: true }] },
    { name: "test_prompt_with_embedded_resource", description: "A prompt with a resource", arguments: [{ name: "resourceUri", description: "URI to embed", required: true }] },
    { name: "test_prompt_with_image", description: "A prompt with an image" },
  ] }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const args = request.params.arguments ?? {};
    const user = (content) => ({ role: "user", content });
    switch (request.params.name) {
      case "test_simple_prompt": return { messages: [user({ type: "text", text: "This is a simple prompt for testing." })] };
      case "test_prompt_with_arguments": return { messages: [user({ type: "text", text: `Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'` })] };
      case "test_prompt_with_embedded_resource": return { messages: [
        user({ type: "resource", resource: { uri: args.resourceUri, mimeType: "text/plain", text: "Embedded resource content for testing." } }),
        user({ type: "text", text: "Please process the embedded resource above." })] };
      case "test_prompt_with_image": return { messages: [
        user({ type: "image", data: PNG, mimeType: "image/png" }), user({ type: "text", text: "Please analyze the image above." })] };
      default: throw new Error(`unknown prompt ${request.params.name}`);
    }
  });
  server.setRequestHandler(CompleteRequestSchema, async () => ({ completion: { values: ["paris", "park", "party"], total: 3, hasMore: false } }));
  return server;
}

const transports = new Map();
const httpServer = http.createServer(async (req, res) => {
  if (!req.url.startsWith("/mcp")) { res.writeHead(404).end(); return; }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString() || "null") : undefined;
  const id = req.headers["mcp-session-id"];
  let transport = id ? transports.get(id) : undefined;
  if (!transport) {
    if (id || req.method !== "POST" || body?.method !== "initialize") {
      res.writeHead(id ? 404 : 400, { "content-type": "application/json" })
        .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: id ? "Session not found" : "Bad Request: no session" }, id: null }));
      return;
    }
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => transports.set(sid, transport),
      enableDnsRebindingProtection: true,
      allowedHosts: [`127.0.0.1:${process.env.PORT}`, `localhost:${process.env.PORT}`],
    });
    transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
    await newServer().connect(transport);
  }
  await transport.handleRequest(req, res, body);
});
httpServer.listen(Number(process.env.PORT ?? 3002), "127.0.0.1", () => console.error(`conformance fixture on ${process.env.PORT}`));
