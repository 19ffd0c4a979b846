"""A stdio MCP server (PyPI `mcp` 2.3.0) for the proxy tests: it can be told
to crash (restart of stdio upstreams), to announce list changes
(server-initiated messages on the GET stream, list_changed propagation), to
ask through `input_required` (2026-07-28 multi-round-trip), and to sleep
until cancelled (cancellation reaching the server)."""

import asyncio
import os
from pathlib import Path
from typing import Any

import mcp_types as types
from mcp.server.mcpserver import Context, MCPServer

server = MCPServer("stdio-fixture")


@server.tool()
def whoami() -> str:
    """Names the process answering."""
    return f"pid {os.getpid()}"


@server.tool()
def crash() -> str:
    """Exits the process at once, mid-call."""
    os._exit(3)


@server.tool()
async def announce(count: int, ctx: Context) -> str:
    """Sends notifications/tools/list_changed `count` times."""
    for _ in range(count):
        await ctx.session.send_tool_list_changed()
    return f"announced {count}"


@server.tool()
def note() -> str:
    """A tool whose description mentions a canary, for the tool-listing phase tests."""
    return "noted"


@server.tool()
async def slow(seconds: float, marker: str) -> str:
    """Sleeps; if cancelled first, writes `marker` (a file path) so tests can see the cancel arrive."""
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        Path(marker).write_text("cancelled")
        raise
    return "slept"


@server.tool()
async def ask(question: str, ctx: Context) -> Any:
    """2026-07-28 multi-round-trip: asks the client (elicitation) through an
    `input_required` result, then answers with what the client said."""
    answers = ctx.input_responses
    if not answers:
        schema = {"type": "object", "properties": {"answer": {"type": "string"}}}
        params = types.ElicitRequestFormParams(message=question, requested_schema=schema)
        return types.InputRequiredResult(input_requests={"q": types.ElicitRequest(params=params)})
    reply = answers.get("q")
    return f"answered: {getattr(reply, 'action', '?')} {getattr(reply, 'content', None)}"


if __name__ == "__main__":
    server.run()
