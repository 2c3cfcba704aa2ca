#!/usr/bin/env node
/**
 * A 2025 member MCP server on the TypeScript SDK v1 (@modelcontextprotocol/sdk) that asks
 * its client things during its calls, the 2025 way: requests sent on the call's own
 * answer stream, waited for before the call goes on. Sessions as the SDK documents them
 * (a StreamableHTTPServerTransport per Mcp-Session-Id).
 *
 * Tools:
 *   confirm     elicitation/create, then "user said <action> <content as JSON>"
 *   ask_model   sampling/createMessage, then "model said <text>"
 *   list_roots  roots/list, then "roots: <uri>, ..."
 *   interview   a log message and a progress step, then elicitation, sampling and roots in a
 *               row, with a log message and a progress step after each answer; then
 *               "name=<...> model=<...> roots=<...>"
 *   cancelled   the ids of the requests a client cancelled (notifications/cancelled), as
 *               JSON text
 *
 * Usage: node asking-member.mjs [port]   (or PORT=...; 0 picks a free port)
 * Once listening it prints exactly one line, "listening on http://127.0.0.1:PORT/mcp".
 */

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
	CreateMessageResultSchema,
	ElicitResultSchema,
	ListRootsResultSchema,
} from '@modelcontextprotocol/sdk/types.js';

import { serveSessions } from './session-host.mjs';

/** Ids of the requests clients cancelled, in order, whatever the session. */
const cancelled = [];

function text(value) {
	return { content: [{ type: 'text', text: value }] };
}

async function elicit(extra, message) {
	const answer = await extra.sendRequest({
		method: 'elicitation/create',
		params: {
			message,
			requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
		},
	}, ElicitResultSchema);
	return answer;
}

async function sample(extra, question) {
	const answer = await extra.sendRequest({
		method: 'sampling/createMessage',
		params: { messages: [{ role: 'user', content: { type: 'text', text: question } }], maxTokens: 20 },
	}, CreateMessageResultSchema);
	return answer.content.type === 'text' ? answer.content.text : answer.content.type;
}

async function roots(extra) {
	const answer = await extra.sendRequest({ method: 'roots/list' }, ListRootsResultSchema);
	return answer.roots.map((root) => root.uri).join(', ');
}

async function note(extra, step, data) {
	await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data } });
	const token = extra._meta?.progressToken;
	if (token !== undefined) {
		await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, total: 4 } });
	}
}

function memberServer() {
	const server = new McpServer(
		{ name: 'vmcp-asking-member', version: '1.0.0' },
		{ capabilities: { tools: {}, logging: {} } },
	);
	server.registerTool('confirm', { description: 'Asks the user (elicitation)' }, async (extra) => {
		const answer = await elicit(extra, 'Who are you?');
		return text(`user said ${answer.action} ${JSON.stringify(answer.content ?? {})}`);
	});
	server.registerTool('ask_model', { description: "Asks the client's model (sampling)" }, async (extra) =>
		text(`model said ${await sample(extra, 'What is 2+2?')}`));
	server.registerTool('list_roots', { description: "Asks for the client's roots" }, async (extra) =>
		text(`roots: ${await roots(extra)}`));
	server.registerTool('interview', { description: 'Asks three things in a row' }, async (extra) => {
		await note(extra, 1, 'before the first question');
		const name = await elicit(extra, 'Who are you?');
		await note(extra, 2, 'after the elicitation');
		const model = await sample(extra, 'What is 2+2?');
		await note(extra, 3, 'after the sampling');
		const listed = await roots(extra);
		await note(extra, 4, 'after the roots');
		return text(`name=${name.content?.name} model=${model} roots=${listed}`);
	});
	server.registerTool('cancelled', { description: 'The requests clients cancelled' }, async () =>
		text(JSON.stringify(cancelled)));
	return server;
}

serveSessions(memberServer, {
	onMessage: (message) => {
		if (message?.method === 'notifications/cancelled') {
			cancelled.push(message.params?.requestId);
		}
	},
});
