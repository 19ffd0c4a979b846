"""A real MCP client (PyPI `mcp` 2.3.0) driven by Warden's end-to-end tests.

Connects to a server over Streamable HTTP (`--url`), legacy SSE (`--sse`)
or stdio (`--stdio CMD ARG...`), runs one scenario and prints one JSON
document on stdout. Sampling, elicitation and roots requests from the server
are answered by callbacks, and counted.

Scenarios:
  everything   list tools/prompts/resources and call every tool with
               arguments that suit server-everything; report each outcome
  tools        list tool names
  call         call --tool with --args (JSON)
  raw          send --method with --params (JSON) and print the result
  sequence     call each [tool, args] of --calls (JSON list) in turn, in one session
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import anyio
import mcp_types as types
from mcp import Client, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.shared.exceptions import MCPError

COUNTS = {"sampling": 0, "elicitation": 0, "roots": 0, "progress": 0, "logging": 0}

ARGUMENTS: dict[str, dict[str, Any]] = {
    "echo": {"message": "hello through warden"},
    "get-annotated-message": {"messageType": "success", "includeImage": True},
    "get-env": {},
    "get-resource-links": {"count": 2},
    "get-resource-reference": {"resourceType": "Text", "resourceId": 1},
    "get-roots-list": {},
    "get-structured-content": {"location": "Chicago"},
    "get-sum": {"a": 2, "b": 3},
    "get-tiny-image": {},
    # A data: URL keeps the server off the network.
    "gzip-file-as-resource": {"name": "hello.txt.gz", "data": "data:text/plain;base64,aGVsbG8gd2FyZGVu"},
    "toggle-simulated-logging": {},
    "toggle-subscriber-updates": {},
    "trigger-long-running-operation": {"duration": 1, "steps": 4},
    "trigger-elicitation-request": {},
    "trigger-url-elicitation": {"url": "https://example.invalid/confirm"},
    "trigger-sampling-request": {"prompt": "Say hi", "maxTokens": 10},
    "simulate-research-query": {"topic": "proxies"},
}


async def on_sampling(ctx: Any, params: Any) -> types.CreateMessageResult:
    COUNTS["sampling"] += 1
    return types.CreateMessageResult(
        role="assistant", content=types.TextContent(type="text", text="sampled by the test client"), model="test-model"
    )


async def on_elicitation(ctx: Any, params: Any) -> types.ElicitResult:
    COUNTS["elicitation"] += 1
    return types.ElicitResult(action="accept", content={})


async def on_roots(ctx: Any) -> types.ListRootsResult:
    COUNTS["roots"] += 1
    return types.ListRootsResult(roots=[types.Root(uri="file:///tmp/warden-test", name="test root")])


async def on_logging(params: Any) -> None:
    COUNTS["logging"] += 1


async def on_progress(progress: float, total: float | None, message: str | None) -> None:
    COUNTS["progress"] += 1


def summary(result: Any) -> dict[str, Any]:
    content = getattr(result, "content", None) or []
    texts = [c.text for c in content if getattr(c, "type", "") == "text"]
    return {
        "ok": True,
        "is_error": bool(getattr(result, "is_error", False)),
        "content_types": [getattr(c, "type", "?") for c in content],
        "text": "\n".join(texts)[:20000],
        "structured": getattr(result, "structured_content", None),
    }


def failure(e: BaseException) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": False, "error": str(e)[:500]}
    if isinstance(e, MCPError):
        out["code"] = e.code
        out["data"] = e.error.data
    return out


async def everything(client: Client) -> dict[str, Any]:
    tools = await client.list_tools()
    report: dict[str, Any] = {"tools": [t.name for t in tools.tools], "calls": {}}
    for tool in tools.tools:
        name = tool.name
        base = name.split("__", 1)[-1]
        args = ARGUMENTS.get(base, {})
        try:
            with anyio.fail_after(30):
                result = await client.call_tool(name, args, progress_callback=on_progress)
            report["calls"][name] = summary(result)
        except Exception as e:  # noqa: BLE001 - every outcome is reported
            report["calls"][name] = failure(e)
        if base in ("toggle-simulated-logging", "toggle-subscriber-updates"):
            await client.call_tool(name, {})  # switch it back off
    try:
        prompts = await client.list_prompts()
        report["prompts"] = [p.name for p in prompts.prompts]
    except Exception as e:  # noqa: BLE001
        report["prompts"] = failure(e)
    try:
        resources = await client.list_resources()
        report["resources"] = [r.uri for r in resources.resources][:5]
        if resources.resources:
            read = await client.read_resource(str(resources.resources[0].uri))
            report["read"] = len(read.contents)
    except Exception as e:  # noqa: BLE001
        report["resources"] = failure(e)
    return report


async def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.url:
        server: Any = args.url
    elif args.sse:
        server = sse_client(args.sse)
    else:
        server = StdioServerParameters(command=args.stdio[0], args=args.stdio[1:], env=dict(__import__("os").environ))
    client = Client(
        server,
        mode=args.mode,
        sampling_callback=on_sampling,
        elicitation_callback=on_elicitation,
        list_roots_callback=on_roots,
        logging_callback=on_logging,
        read_timeout_seconds=args.timeout,
    )
    out: dict[str, Any] = {}
    async with client:
        out["protocol_version"] = client.protocol_version
        info = client.server_info
        out["server"] = info.name if info else None
        if args.scenario == "everything":
            out.update(await everything(client))
        elif args.scenario == "tools":
            out["tools"] = [t.name for t in (await client.list_tools()).tools]
        elif args.scenario == "call":
            try:
                out["call"] = summary(await client.call_tool(args.tool, json.loads(args.args)))
            except Exception as e:  # noqa: BLE001
                out["call"] = failure(e)
        elif args.scenario == "sequence":
            out["calls"] = []
            for tool, tool_args in json.loads(args.calls):
                try:
                    out["calls"].append(summary(await client.call_tool(tool, tool_args)))
                except Exception as e:  # noqa: BLE001
                    out["calls"].append(failure(e))
        elif args.scenario == "raw":
            try:
                result = await client.session.send_request(
                    {"method": args.method, "params": json.loads(args.params)}, types.Result
                )
                out["result"] = result.model_dump(by_alias=True, mode="json")
            except Exception as e:  # noqa: BLE001
                out["result"] = failure(e)
    out["counts"] = COUNTS
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="Streamable HTTP endpoint")
    target.add_argument("--sse", help="legacy SSE endpoint")
    target.add_argument("--stdio", nargs=argparse.REMAINDER, help="command and arguments of a stdio server")
    parser.add_argument("--mode", default="auto", help="auto, legacy or a protocol version")
    parser.add_argument("--scenario", default="everything", choices=["everything", "tools", "call", "raw", "sequence"])
    parser.add_argument("--tool")
    parser.add_argument("--args", default="{}")
    parser.add_argument("--calls", default="[]")
    parser.add_argument("--method")
    parser.add_argument("--params", default="{}")
    parser.add_argument("--timeout", type=float, default=30.0)
    # argparse.REMAINDER must come last on the command line: options go first.
    args = parser.parse_args()
    try:
        report = anyio.run(run, args)
    except BaseException as e:  # noqa: BLE001 - the test reads the failure
        report = {"connect_error": f"{type(e).__name__}: {e}"[:1000], "counts": COUNTS}
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
