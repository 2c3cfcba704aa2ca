#!/usr/bin/env node
/**
 * A member MCP server that speaks only protocol revision 2026-07-28 (stateless:
 * no initialize, no sessions; every request carries its own _meta envelope).
 *
 * Built on the TypeScript SDK v2: createMcpHandler() serves every request from
 * a fresh McpServer made by memberServer() below, and with legacy: 'reject' a
 * 2025-era request (initialize included) is answered with the
 * UnsupportedProtocolVersion error that lists 2026-07-28 only.
 *
 * It carries two sets of features:
 *  - what the conformance suite's 2026-07-28 server scenarios call by name
 *    (test_* tools, test://* resources, test_* prompts), and
 *  - a few plain ones for the gateway's integration tests: echo, add,
 *    count_with_progress, add_tool (changes the tool list and announces it on
 *    subscriptions/listen streams), update_resource (announces a resource's update
 *    there), open_listens (how many are open), member://greeting and the greet prompt.
 *
 * Usage: node stateless-member.mjs [port]   (or PORT=...; 0 picks a free port)
 * Once listening it prints exactly one line, "listening on http://127.0.0.1:PORT/mcp",
 * so that whoever started it can read the port.
 */

import { randomUUID } from 'node:crypto';

import {
	acceptedContent,
	CLIENT_CAPABILITIES_META_KEY,
	createRequestStateCodec,
	fromJsonSchema,
	inputRequired,
	McpServer,
	ProtocolError,
	ProtocolErrorCode,
	ResourceTemplate,
} from '@modelcontextprotocol/server';

import { serveMember } from './serve-member.mjs';

const PROTOCOL_VERSION = '2026-07-28';

// 1x1 red PNG and a minimal WAV, as the conformance scenarios expect some image/audio.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

// requestState comes back from the client, so whatever the server put in it
// must be integrity-protected: the codec HMAC-seals it with a key that lives
// as long as this process, and the server's requestState.verify hook rejects
// a tampered or expired state with -32602 before any handler runs.
const requestStates = createRequestStateCodec({ key: crypto.getRandomValues(new Uint8Array(32)) });

// The only state that outlives a request: tools added with add_tool. Each
// request gets a fresh McpServer, which registers them again.
const addedTools = [];

const noArguments = fromJsonSchema({ type: 'object', properties: {} });

function objectSchema(properties, required = []) {
	return fromJsonSchema({ type: 'object', properties, required });
}

function text(value) {
	return { content: [{ type: 'text', text: value }] };
}

function elicitation(message, property, type = 'string') {
	return inputRequired.elicit({
		message,
		requestedSchema: { type: 'object', properties: { [property]: { type } }, required: [property] },
	});
}

function memberServer() {
	const server = new McpServer(
		{ name: 'vmcp-stateless-member', version: '1.0.0' },
		{
			supportedProtocolVersions: [PROTOCOL_VERSION],
			capabilities: {
				tools: { listChanged: true },
				resources: { listChanged: true, subscribe: true },
				prompts: { listChanged: true },
				completions: {},
			},
			requestState: { verify: requestStates.verify },
			// Lists change only through add_tool, and the change is announced, so a
			// short shared-cache hint is honest; the caching scenario checks the fields.
			cacheHints: {
				'tools/list': { ttlMs: 1000, cacheScope: 'public' },
				'prompts/list': { ttlMs: 60000, cacheScope: 'public' },
				'resources/list': { ttlMs: 60000, cacheScope: 'public' },
				'resources/templates/list': { ttlMs: 60000, cacheScope: 'public' },
				'resources/read': { ttlMs: 60000, cacheScope: 'public' },
				'server/discover': { ttlMs: 60000, cacheScope: 'public' },
			},
		},
	);
	registerIntegrationFeatures(server);
	registerConformanceTools(server);
	registerInputRequiredTools(server);
	registerConformanceResources(server);
	registerConformancePrompts(server);
	return server;
}

// ----- features for the gateway's integration tests -----

function registerIntegrationFeatures(server) {
	server.registerTool(
		'echo',
		{
			description: 'Returns its text argument as text content',
			inputSchema: objectSchema({ text: { type: 'string' } }, ['text']),
		},
		async ({ text: value }) => text(value),
	);

	server.registerTool(
		'add',
		{
			description: 'Adds two numbers',
			inputSchema: objectSchema({ a: { type: 'number' }, b: { type: 'number' } }, ['a', 'b']),
		},
		async ({ a, b }) => text(String(a + b)),
	);

	server.registerTool(
		'count_with_progress',
		{
			description: 'Counts to steps (default 3), reporting progress after each step when the request has a progressToken',
			inputSchema: objectSchema({ steps: { type: 'integer', minimum: 1, maximum: 100 } }),
		},
		async ({ steps = 3 }, ctx) => {
			const progressToken = ctx.mcpReq._meta?.progressToken;
			for (let step = 1; step <= steps; step++) {
				// The spec forbids progress notifications without a client-supplied token.
				if (progressToken !== undefined) {
					await ctx.mcpReq.notify({
						method: 'notifications/progress',
						params: { progressToken, progress: step, total: steps, message: `step ${step} of ${steps}` },
					});
				}
				await pause(20);
			}
			return text(`counted to ${steps}`);
		},
	);

	server.registerTool(
		'add_tool',
		{
			description: 'Adds a tool named after the argument (it echoes like echo) and announces the new tool list',
			inputSchema: objectSchema({ name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } }, ['name']),
		},
		async ({ name }) => {
			if (!addedTools.includes(name)) {
				addedTools.push(name);
				// Delivered as notifications/tools/list_changed on every open
				// subscriptions/listen stream that asked for tool changes.
				handler.notify.toolsChanged();
			}
			return text(`tool ${name} added`);
		},
	);
	for (const name of addedTools) {
		server.registerTool(
			name,
			{ description: 'Added by add_tool; echoes its text argument', inputSchema: objectSchema({ text: { type: 'string' } }) },
			async ({ text: value = '' }) => text(value),
		);
	}

	server.registerTool(
		'update_resource',
		{
			description: 'Announces notifications/resources/updated for the uri argument on the listen streams subscribed to it',
			inputSchema: objectSchema({ uri: { type: 'string' } }, ['uri']),
		},
		async ({ uri }) => {
			handler.notify.resourceUpdated(uri);
			return text(`${uri} updated`);
		},
	);

	server.registerTool(
		'open_listens',
		{ description: 'Tells how many subscriptions/listen streams are open here', inputSchema: noArguments },
		async () => text(String(handler.bus.listenerCount)),
	);

	server.registerResource(
		'greeting',
		'member://greeting',
		{ title: 'Greeting', description: 'A fixed text resource', mimeType: 'text/plain' },
		async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Hello from the stateless member' }] }),
	);

	server.registerPrompt(
		'greet',
		{
			title: 'Greet',
			description: 'Asks to greet someone by name',
			argsSchema: objectSchema({ name: { type: 'string', description: 'Who to greet' } }, ['name']),
		},
		async ({ name }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Please greet ${name}.` } }] }),
	);
}

// ----- tools the conformance scenarios call by name -----

function registerConformanceTools(server) {
	const fixed = (name, description, result) =>
		server.registerTool(name, { description, inputSchema: noArguments }, async () => result());

	fixed('test_simple_text', 'Returns simple text content', () => text('This is a simple text response for testing.'));
	fixed('test_image_content', 'Returns image content', () => ({
		content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }],
	}));
	fixed('test_audio_content', 'Returns audio content', () => ({
		content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }],
	}));
	fixed('test_embedded_resource', 'Returns an embedded resource', () => ({
		content: [
			{
				type: 'resource',
				resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
			},
		],
	}));
	fixed('test_multiple_content_types', 'Returns text, image and resource content', () => ({
		content: [
			{ type: 'text', text: 'Multiple content types test:' },
			{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
			{
				type: 'resource',
				resource: {
					uri: 'test://mixed-content-resource',
					mimeType: 'application/json',
					text: JSON.stringify({ test: 'data', value: 123 }),
				},
			},
		],
	}));
	// A thrown error becomes a tool result with isError: true, not a JSON-RPC error.
	server.registerTool('test_error_handling', { description: 'Always fails', inputSchema: noArguments }, async () => {
		throw new Error('This tool intentionally returns an error for testing');
	});
	fixed('test_streaming_elicitation', 'Answers with a result only, no server-to-client request', () =>
		text('result frames only, no top-level requests'),
	);

	server.registerTool(
		'test_tool_with_progress',
		{ description: 'Reports progress 0, 50, 100 when the request has a progressToken', inputSchema: noArguments },
		async (_args, ctx) => {
			const progressToken = ctx.mcpReq._meta?.progressToken;
			if (progressToken !== undefined) {
				for (const progress of [0, 50, 100]) {
					await ctx.mcpReq.notify({
						method: 'notifications/progress',
						params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
					});
					await pause(20);
				}
			}
			return text(String(progressToken ?? 'no-progress-token'));
		},
	);

	// ctx.mcpReq.log only sends when the request set _meta.logLevel; the
	// server-stateless scenario omits it and expects no notifications/message.
	server.registerTool('test_logging_tool', { description: 'Logs through the request-scoped channel', inputSchema: noArguments }, async (_args, ctx) => {
		await ctx.mcpReq.log('info', 'test_logging_tool ran');
		return text('logged (delivered only when the request set _meta.logLevel)');
	});

	server.registerTool(
		'test_missing_capability',
		{ description: 'Needs the sampling client capability', inputSchema: noArguments },
		async (_args, ctx) => {
			if (ctx.mcpReq.inputResponses?.llm_answer === undefined) {
				// The SDK refuses to send this input request (-32021) when the request
				// did not declare sampling, which is what the scenario checks.
				return inputRequired({
					inputRequests: {
						llm_answer: inputRequired.createMessage({
							messages: [{ role: 'user', content: { type: 'text', text: 'Reply with the single word: pong' } }],
							maxTokens: 16,
						}),
					},
				});
			}
			return text('sampling round-trip complete');
		},
	);

	// The server-stateless scenario opens subscriptions/listen, calls these and
	// waits for the matching list_changed notification on the listen stream.
	fixed('test_trigger_tool_change', 'Announces a tools/list_changed', () => {
		handler.notify.toolsChanged();
		return text('tools_list_changed published');
	});
	fixed('test_trigger_prompt_change', 'Announces a prompts/list_changed', () => {
		handler.notify.promptsChanged();
		return text('prompts_list_changed published');
	});

	// SEP-2243: a parameter mirrored into the Mcp-Param-Region header; the SDK
	// checks the header against the argument.
	server.registerTool(
		'test_x_mcp_header',
		{
			description: 'Has a parameter mirrored into an Mcp-Param-Region header',
			inputSchema: fromJsonSchema({
				type: 'object',
				properties: {
					region: { type: 'string', 'x-mcp-header': 'Region' },
					level: { type: 'integer' },
				},
			}),
		},
		async ({ region }) => text(`region=${region ?? '<none>'}`),
	);

	// SEP-1613/SEP-2106: the schema must reach tools/list exactly as written.
	server.registerTool(
		'json_schema_2020_12_tool',
		{
			description: 'Has a JSON Schema 2020-12 input schema',
			inputSchema: fromJsonSchema({
				$schema: 'https://json-schema.org/draft/2020-12/schema',
				type: 'object',
				$defs: {
					address: {
						$anchor: 'addressDef',
						type: 'object',
						properties: { street: { type: 'string' }, city: { type: 'string' } },
					},
				},
				properties: {
					name: { type: 'string' },
					address: { $ref: '#/$defs/address' },
					contactMethod: { type: 'string', enum: ['phone', 'email'] },
					phone: { type: 'string' },
					email: { type: 'string' },
				},
				allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
				if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
				then: { required: ['phone'] },
				else: { required: ['email'] },
				additionalProperties: false,
			}),
		},
		async (args) => text(`called with ${JSON.stringify(args)}`),
	);
}

// ----- multi round-trip requests (InputRequiredResult) -----
//
// Each handler is written to be re-entered: it returns inputRequired(...)
// until the retried request carries the inputResponses it needs. Nothing is
// kept between rounds except what travels in the sealed requestState.

function registerInputRequiredTools(server) {
	const tool = (name, description, handle) => server.registerTool(name, { description, inputSchema: noArguments }, handle);

	tool('test_input_required_result_elicitation', 'Asks for a name by elicitation', async (_args, ctx) => {
		const name = acceptedContent(ctx.mcpReq.inputResponses, 'user_name')?.name;
		if (typeof name !== 'string') {
			return inputRequired({ inputRequests: { user_name: elicitation('What is your name?', 'name') } });
		}
		return text(`Hello, ${name}!`);
	});

	tool('test_input_required_result_sampling', 'Asks for an LLM completion', async (_args, ctx) => {
		const answer = ctx.mcpReq.inputResponses?.capital_question;
		if (answer === undefined) {
			return inputRequired({
				inputRequests: {
					capital_question: inputRequired.createMessage({
						messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
						maxTokens: 100,
					}),
				},
			});
		}
		return text(`Sampling response: ${answer.content?.text ?? JSON.stringify(answer)}`);
	});

	tool('test_input_required_result_list_roots', 'Asks for the client roots', async (_args, ctx) => {
		const roots = ctx.mcpReq.inputResponses?.client_roots?.roots;
		if (!Array.isArray(roots)) {
			return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
		}
		return text(`Client exposed ${roots.length} root(s): ${roots.map((root) => root.uri).join(', ')}`);
	});

	tool('test_input_required_result_request_state', 'Round-trips a sealed requestState', async (_args, ctx) => {
		if (acceptedContent(ctx.mcpReq.inputResponses, 'confirm') === undefined) {
			return inputRequired({
				inputRequests: { confirm: elicitation('Please confirm', 'ok', 'boolean') },
				requestState: await requestStates.mint({ tool: 'request_state', nonce: randomUUID() }),
			});
		}
		if (ctx.mcpReq.requestState() === undefined) {
			throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'Invalid requestState: missing');
		}
		return text('state-ok: requestState verified and confirmation received');
	});

	tool('test_input_required_result_multiple_inputs', 'Asks for elicitation, sampling and roots at once', async (_args, ctx) => {
		const responses = ctx.mcpReq.inputResponses;
		const name = acceptedContent(responses, 'user_name')?.name;
		const greeting = responses?.greeting?.content?.text;
		const roots = responses?.client_roots?.roots;
		if (typeof name !== 'string' || typeof greeting !== 'string' || !Array.isArray(roots)) {
			return inputRequired({
				inputRequests: {
					user_name: elicitation('What is your name?', 'name'),
					greeting: inputRequired.createMessage({
						messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
						maxTokens: 50,
					}),
					client_roots: inputRequired.listRoots(),
				},
				requestState: await requestStates.mint({ tool: 'multiple_inputs', nonce: randomUUID() }),
			});
		}
		return text(`${greeting} ${name}: ${roots.length} root(s) visible`);
	});

	// The 2025 suite's tools-call-sampling and tools-call-elicitation scenarios call these
	// by name; in 2025 their servers ask on the call's stream, here they answer
	// input_required, and a gateway in front turns that into requests for a 2025 client.
	server.registerTool(
		'test_sampling',
		{ description: 'Asks the client for an LLM completion of the prompt', inputSchema: objectSchema({ prompt: { type: 'string' } }, ['prompt']) },
		async ({ prompt }, ctx) => {
			const answer = ctx.mcpReq.inputResponses?.completion;
			if (answer === undefined) {
				return inputRequired({
					inputRequests: {
						completion: inputRequired.createMessage({
							messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
							maxTokens: 100,
						}),
					},
				});
			}
			return text(`LLM response: ${answer.content?.text ?? JSON.stringify(answer)}`);
		},
	);

	server.registerTool(
		'test_elicitation',
		{ description: 'Asks the user for a username and an email', inputSchema: objectSchema({ message: { type: 'string' } }, ['message']) },
		async ({ message }, ctx) => {
			const answer = ctx.mcpReq.inputResponses?.user_info;
			if (answer === undefined) {
				return inputRequired({
					inputRequests: {
						user_info: inputRequired.elicit({
							message,
							requestedSchema: {
								type: 'object',
								properties: { username: { type: 'string' }, email: { type: 'string' } },
								required: ['username', 'email'],
							},
						}),
					},
				});
			}
			return text(`User response: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
		},
	);

	// The round number travels in the sealed requestState and changes every round.
	tool('test_input_required_result_multi_round', 'Two elicitation rounds before completing', async (_args, ctx) => {
		const state = ctx.mcpReq.requestState();
		const round = state?.tool === 'multi_round' && typeof state.round === 'number' ? state.round : 0;
		if (round === 0) {
			return inputRequired({
				inputRequests: { step1: elicitation('Step 1: What is your name?', 'name') },
				requestState: await requestStates.mint({ tool: 'multi_round', round: 1, nonce: randomUUID() }),
			});
		}
		if (round === 1) {
			const name = acceptedContent(ctx.mcpReq.inputResponses, 'step1')?.name ?? 'unknown';
			return inputRequired({
				inputRequests: { step2: elicitation('Step 2: What is your favorite color?', 'color') },
				requestState: await requestStates.mint({ tool: 'multi_round', round: 2, name, nonce: randomUUID() }),
			});
		}
		const color = acceptedContent(ctx.mcpReq.inputResponses, 'step2')?.color ?? 'unknown';
		return text(`Multi-round complete: ${state.name} likes ${color}`);
	});

	// A tampered requestState never reaches this handler: the verify hook rejects it.
	tool('test_input_required_result_tampered_state', 'Rejects a tampered requestState', async (_args, ctx) => {
		if (ctx.mcpReq.requestState() !== undefined && acceptedContent(ctx.mcpReq.inputResponses, 'confirm') !== undefined) {
			return text('integrity-ok: requestState verified');
		}
		return inputRequired({
			inputRequests: { confirm: elicitation('Please confirm', 'ok', 'boolean') },
			requestState: await requestStates.mint({ tool: 'tampered_state', nonce: randomUUID() }),
		});
	});

	// Asks only for the kinds of input the request's client capabilities declare.
	tool('test_input_required_result_capabilities', 'Asks only for declared kinds of input', async (_args, ctx) => {
		if (ctx.mcpReq.inputResponses !== undefined) {
			return text('Capability-aware input requests fulfilled');
		}
		const declared = ctx.mcpReq.envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? {};
		const inputRequests = {};
		if (declared.elicitation !== undefined) {
			inputRequests.user_name = elicitation('What is your name?', 'name');
		}
		if (declared.sampling !== undefined) {
			inputRequests.greeting = inputRequired.createMessage({
				messages: [{ role: 'user', content: { type: 'text', text: 'Generate a short greeting' } }],
				maxTokens: 50,
			});
		}
		if (declared.roots !== undefined) {
			inputRequests.client_roots = inputRequired.listRoots();
		}
		if (Object.keys(inputRequests).length === 0) {
			return text('No declared client capability supports an input request');
		}
		return inputRequired({ inputRequests });
	});
}

// ----- resources and prompts the conformance scenarios read by name -----

function registerConformanceResources(server) {
	const fixedText = (name, uri, value) =>
		server.registerResource(name, uri, { description: `Fixed text ${name}`, mimeType: 'text/plain' }, async () => ({
			contents: [{ uri, mimeType: 'text/plain', text: value }],
		}));
	fixedText('static-text', 'test://static-text', 'This is the content of the static text resource.');
	fixedText('watched-resource', 'test://watched-resource', 'Watched resource content');

	server.registerResource(
		'static-binary',
		'test://static-binary',
		{ description: 'A PNG image', mimeType: 'image/png' },
		async () => ({ contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: PNG_BASE64 }] }),
	);

	server.registerResource(
		'template',
		new ResourceTemplate('test://template/{id}/data', { list: undefined }),
		{ description: 'A resource template with parameter substitution', mimeType: 'application/json' },
		async (uri, { id }) => ({
			contents: [
				{
					uri: uri.toString(),
					mimeType: 'application/json',
					text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
				},
			],
		}),
	);

	// No values to offer: the scenario checks the shape of the answer only.
	server.server.setRequestHandler('completion/complete', async () => ({
		completion: { values: [], total: 0, hasMore: false },
	}));
}

function registerConformancePrompts(server) {
	const message = (content) => ({ role: 'user', content });

	server.registerPrompt('test_simple_prompt', { description: 'A prompt without arguments' }, async () => ({
		messages: [message({ type: 'text', text: 'This is a simple prompt for testing.' })],
	}));

	server.registerPrompt(
		'test_prompt_with_arguments',
		{
			description: 'A prompt with two required arguments',
			argsSchema: objectSchema({ arg1: { type: 'string' }, arg2: { type: 'string' } }, ['arg1', 'arg2']),
		},
		async ({ arg1, arg2 }) => ({
			messages: [message({ type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` })],
		}),
	);

	server.registerPrompt(
		'test_prompt_with_embedded_resource',
		{
			description: 'A prompt embedding the resource it is given',
			argsSchema: objectSchema({ resourceUri: { type: 'string' } }, ['resourceUri']),
		},
		async ({ resourceUri }) => ({
			messages: [
				message({
					type: 'resource',
					resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
				}),
				message({ type: 'text', text: 'Please process the embedded resource above.' }),
			],
		}),
	);

	server.registerPrompt('test_prompt_with_image', { description: 'A prompt with an image' }, async () => ({
		messages: [
			message({ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }),
			message({ type: 'text', text: 'Please analyze the image above.' }),
		],
	}));

	// prompts/get may answer input_required too. Without argsSchema the
	// callback's only argument is the request context.
	server.registerPrompt('test_input_required_result_prompt', { description: 'Asks for context before rendering' }, async (ctx) => {
		const context = acceptedContent(ctx.mcpReq.inputResponses, 'user_context')?.context;
		if (typeof context !== 'string') {
			return inputRequired({ inputRequests: { user_context: elicitation('What context should the prompt use?', 'context') } });
		}
		return { messages: [message({ type: 'text', text: `Use the following context: ${context}` })] };
	});
}

function pause(millis) {
	return new Promise((resolve) => setTimeout(resolve, millis));
}

// The tools that change the lists tell the open listen streams through it.
const handler = serveMember(memberServer);
