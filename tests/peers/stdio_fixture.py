"""A stdio MCP server (PyPI `mcp` 2.3.0) for the proxy tests: it can be told
to crash (restart of stdio upstreams) and to announce list changes
(server-initiated messages on the GET stream, list_changed propagation)."""

import os

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


if __name__ == "__main__":
    server.run()
