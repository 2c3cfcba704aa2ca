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

import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

import { serveSessions } from './session-host.mjs';

const taskStore = new InMemoryTaskStore();

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

serveSessions(memberServer);
