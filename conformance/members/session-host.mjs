/**
 * Serves a 2025 member MCP server on the TypeScript SDK v1 (@modelcontextprotocol/sdk)
 * with sessions as the SDK documents them: a StreamableHTTPServerTransport per
 * Mcp-Session-Id, a fresh server (from newServer) for each initialize, 404 for an
 * unknown session. Listens on 127.0.0.1 at the port given as the first argument (or
 * PORT; 0 picks a free one) and prints exactly one line once listening,
 * "listening on http://127.0.0.1:PORT/mcp". Ends on SIGINT and SIGTERM.
 *
 * onMessage, when given, sees every JSON-RPC message POSTed before it is handled.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';

const HOST = '127.0.0.1';
const PATH = '/mcp';

export function serveSessions(newServer, { onMessage = () => {} } = {}) {
	const transports = new Map();

	async function handle(request, response) {
		const sessionId = request.headers['mcp-session-id'];
		const body = request.method === 'POST' ? await readBody(request) : undefined;
		if (body !== undefined) {
			onMessage(body);
		}
		let transport = sessionId ? transports.get(sessionId) : undefined;
		if (!transport && request.method === 'POST' && !sessionId && isInitializeRequest(body)) {
			transport = new StreamableHTTPServerTransport({
				sessionIdGenerator: () => randomUUID(),
				onsessioninitialized: (id) => transports.set(id, transport),
			});
			transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
			await newServer().connect(transport);
		}
		if (!transport) {
			response.writeHead(sessionId ? 404 : 400, { 'Content-Type': 'application/json' }).end(JSON.stringify({
				jsonrpc: '2.0',
				id: null,
				error: { code: -32000, message: sessionId ? 'Session not found' : 'Initialize first' },
			}));
			return;
		}
		await transport.handleRequest(request, response, body);
	}

	const httpServer = createServer(async (request, response) => {
		if (new URL(request.url, `http://${HOST}`).pathname !== PATH) {
			response.writeHead(404).end();
			return;
		}
		try {
			await handle(request, response);
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
		process.on(signal, () => {
			httpServer.closeAllConnections();
			httpServer.close(() => process.exit(0));
		});
	}
}

async function readBody(request) {
	const chunks = [];
	for await (const chunk of request) {
		chunks.push(chunk);
	}
	const body = Buffer.concat(chunks).toString('utf8');
	return body ? JSON.parse(body) : undefined;
}
