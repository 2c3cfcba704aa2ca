#!/usr/bin/env node
/**
 * A 2025 member MCP server on the TypeScript SDK v1 (@modelcontextprotocol/sdk) that runs
 * tool calls as tasks, the experimental tasks of 2025-11-25: task-augmented tools/call,
 * tasks/get, tasks/result, tasks/list and tasks/cancel, with the SDK's in-memory task
 * store (each task bound to the session that created it). Sessions as the SDK documents
 * them (a StreamableHTTPServerTransport per Mcp-Session-Id).
 *
 * Tools (task support required):
 *   slow_task  {"text", "ms"}: a task that completes after ms milliseconds with
 *              "done: <text>"; before its CreateTaskResult it sends the task's status
 *              (notifications/tasks/status) on the call's answer stream, and the SDK
 *              sends the completed status on the session's standalone stream
 *   held_task  a task that never finishes unless cancelled
 *   failing_task  a task that fails at once with a tool error ("boom", isError), which
 *              2025-11-25 reports as status failed
 * And echo {"text"}, a plain tool that runs no task.
 *
 * Usage: node task-member.mjs [port]   (or PORT=...; 0 picks a free port)
 * Once listening it prints exactly one line, "listening on http://127.0.0.1:PORT/mcp".
 */

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const HOST = '127.0.0.1';
const PATH = '/mcp';

const taskStore = new InMemoryTaskStore();

const transports = new Map();

function memberServer() {
	const server = new McpServer(
		{ name: 'vmcp-task-member', version: '1.0.0' },
		{ capabilities: { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } }, taskStore },
	);
	// The SDK passes (args, extra) to a tool with an input schema, (extra) to one without.
	const handlers = (work) => ({
		async createTask(...given) {
			const extra = given.at(-1);
			const task = await extra.taskStore.createTask({ ttl: 60_000, pollInterval: 100 });
			await extra.sendNotification({ method: 'notifications/tasks/status', params: task });
			work(given.length > 1 ? given[0] : {}, task, extra.taskStore);
			return { task };
		},
		async getTask(...given) {
			const extra = given.at(-1);
			return await extra.taskStore.getTask(extra.taskId);
		},
		async getTaskResult(...given) {
			const extra = given.at(-1);
			return await extra.taskStore.getTaskResult(extra.taskId);
		},
	});
	server.experimental.tasks.registerToolTask('slow_task', {
		description: 'Completes after ms milliseconds with done: <text>',
		inputSchema: { text: z.string(), ms: z.number() },
		execution: { taskSupport: 'required' },
	}, handlers(({ text, ms }, task, store) => {
		setTimeout(() => {
			store.storeTaskResult(task.taskId, 'completed', { content: [{ type: 'text', text: `done: ${text}` }] })
				.catch(() => {
					// cancelled meanwhile: a cancelled task stays cancelled
				});
		}, ms);
	}));
	server.experimental.tasks.registerToolTask('failing_task', {
		description: 'Fails at once with a tool error',
		execution: { taskSupport: 'optional' },
	}, handlers((args, task, store) => {
		store.storeTaskResult(task.taskId, 'failed', { content: [{ type: 'text', text: 'boom' }], isError: true })
			.catch(() => {});
	}));
	server.registerTool('echo', {
		description: 'Echoes its text',
		inputSchema: { text: z.string() },
	}, async ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] }));
	server.experimental.tasks.registerToolTask('held_task', {
		description: 'A task that never finishes unless cancelled',
		execution: { taskSupport: 'required' },
	}, handlers(() => {}));
	return server;
}

async function readBody(request) {
	const chunks = [];
	for await (const chunk of request) {
		chunks.push(chunk);
	}
	const body = Buffer.concat(chunks).toString('utf8');
	return body ? JSON.parse(body) : undefined;
}

async function handle(request, response) {
	const sessionId = request.headers['mcp-session-id'];
	const body = request.method === 'POST' ? await readBody(request) : undefined;
	let transport = sessionId ? transports.get(sessionId) : undefined;
	if (!transport && request.method === 'POST' && !sessionId && isInitializeRequest(body)) {
		transport = new StreamableHTTPServerTransport({
			sessionIdGenerator: () => randomUUID(),
			onsessioninitialized: (id) => transports.set(id, transport),
		});
		transport.onclose = () => transport.sessionId && transports.delete(transport.sessionId);
		await memberServer().connect(transport);
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
