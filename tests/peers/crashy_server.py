"""A stdio MCP server (PyPI `mcp` 2.3.0) that can be told to crash, for the
tests of Warden's restart of stdio upstreams."""

import os

from mcp.server.mcpserver import MCPServer

server = MCPServer("crashy")


@server.tool()
def whoami() -> str:
    """Names the process answering."""
    return f"pid {os.getpid()}"


@server.tool()
def crash() -> str:
    """Exits the process at once, mid-call."""
    os._exit(3)


if __name__ == "__main__":
    server.run()
