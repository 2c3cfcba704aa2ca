#!/usr/bin/env node
/**
 * A small member MCP server for bench/tools-call.sh: one tool, echo ({"text": ...}),
 * revision 2026-07-28 only, built on the TypeScript SDK v2 the way its documentation
 * serves one: createMcpHandler() with a factory making a fresh McpServer per request.
 *
 * stateless-member.mjs registers the whole conformance feature set (tens of tools,
 * resources and prompts, their schemas) on every request, which costs several
 * milliseconds of CPU per call; this one is what a member with a few tools costs.
 *
 * Its tools/list carries the SDK's default caching hint (ttlMs 0: a client may not reuse
 * it) unless TOOLS_LIST_TTL_MS is set (then ttlMs that, cacheScope public).
 *
 * Usage: node echo-member.mjs [port]   (or PORT=...; 0 picks a free port)
 * Once listening it prints exactly one line, "listening on http://127.0.0.1:PORT/mcp".
 */


import { fromJsonSchema, McpServer } from '@modelcontextprotocol/server';

import { serveMember } from './serve-member.mjs';

const toolsListTtlMs = process.env.TOOLS_LIST_TTL_MS ? Number(process.env.TOOLS_LIST_TTL_MS) : undefined;
const echoSchema = fromJsonSchema({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });

function memberServer() {
	const server = new McpServer(
		{ name: 'vmcp-echo-member', version: '1.0.0' },
		{
			supportedProtocolVersions: ['2026-07-28'],
			capabilities: { tools: {} },
			...(toolsListTtlMs === undefined ? {} : { cacheHints: { 'tools/list': { ttlMs: toolsListTtlMs, cacheScope: 'public' } } }),
		},
	);
	server.registerTool(
		'echo',
		{ description: 'Returns its text argument as text content', inputSchema: echoSchema },
		async ({ text }) => ({ content: [{ type: 'text', text }] }),
	);
	return server;
}

serveMember(memberServer);
