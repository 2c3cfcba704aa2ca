/**
 * Serves a 2026-07-28 member MCP server over HTTP on 127.0.0.1, the way the TypeScript
 * SDK v2 documents it: createMcpHandler() with a factory making a fresh McpServer per
 * request, 2025 clients refused. Shared by the members in this folder.
 *
 * The port is the first argument or PORT (0 picks a free one). Once listening it prints
 * exactly one line, "listening on http://127.0.0.1:PORT/mcp", which tests and benchmarks
 * read. SIGINT and SIGTERM close it.
 */

import { createServer } from 'node:http';

import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';

const HOST = '127.0.0.1';
const PATH = '/mcp';

/**
 * Serves the member; returns the SDK's handler, whose notify.*Changed() reach the open
 * subscriptions/listen streams.
 */
export function serveMember(memberServer) {
	const handler = createMcpHandler(() => memberServer(), {
		legacy: 'reject',
		onerror: (error) => console.error('member error:', error.message),
	});
	const serve = toNodeHandler(handler);
	// A page on another site could otherwise reach this loopback server (DNS rebinding).
	const validHost = localhostHostValidation();
	const validOrigin = localhostOriginValidation();

	const httpServer = createServer(async (request, response) => {
		if (new URL(request.url, `http://${HOST}`).pathname !== PATH) {
			response.writeHead(404).end();
			return;
		}
		if (!validHost(request, response) || !validOrigin(request, response)) {
			return;
		}
		try {
			await serve(request, response);
		}
		catch (error) {
			console.error('member error:', error);
			if (!response.headersSent) {
				response.writeHead(500).end();
			}
		}
	});

	const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
	httpServer.listen(port, HOST, () => {
		console.log(`listening on http://${HOST}:${httpServer.address().port}${PATH}`);
	});

	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.on(signal, async () => {
			await handler.close();
			httpServer.closeAllConnections();
			httpServer.close(() => process.exit(0));
		});
	}
	return handler;
}
