#!/usr/bin/env node
/**
 * A small MCP client driver on the TypeScript SDK v2 client, used by the gateway's
 * integration tests to talk to /mcp the way a real SDK client does.
 *
 * Usage: node clients/sdk-client.mjs <url> <mode> <scenario> [bearer-token]
 *
 *   mode      2026-07-28  pinned: connect() probes with server/discover and fails
 *                         unless the server offers exactly 2026-07-28
 *             auto        probes with server/discover and falls back to the 2025
 *                         initialize handshake unless the answer is clearly modern
 *             legacy      the plain 2025 initialize handshake, no probe
 *   scenario  list | call | read | prompt | progress | mrtr | listen | all, or one that
 *             asks the client things during a call: interview | sampling | roots (a 2025
 *             member's requests), multi_round | mrtr_sampling | mrtr_roots | mrtr_inputs
 *             (a 2026-07-28 member's input_required results)
 *   bearer-token  sent as "Authorization: Bearer <token>" on every request, the way an
 *             application holding a token passes it (requestInit); no OAuth flow
 *
 * Prints exactly one JSON line to stdout with the outcome, and exits with 1 when a
 * scenario failed (2 on bad usage). The members' features it relies on are those of
 * members/stateless-member.mjs: tools echo, count_with_progress, add_tool and
 * test_input_required_result_elicitation, resource member://greeting, prompt greet; those
 * of interview, sampling and roots are members/asking-member.mjs's tools interview,
 * ask_model and list_roots (a 2025 member asking on its call's stream: through the
 * gateway, a 2026-07-28 client gets input_required results instead); those of multi_round
 * and the mrtr_ ones are stateless-member.mjs's test_input_required_result_* tools
 * (through the gateway, a 2025 client gets requests on the call's stream instead). The
 * client answers elicitations with the name Ada (and the color green when asked for
 * one), sampling with "4" and roots with file:///work/ada.
 *
 * Each scenario connects a client of its own, so one scenario's failure (or a
 * connection left in a bad state) does not spill into the next, and every scenario
 * exercises the connect sequence of the chosen mode.
 */

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

// The SDK or a dependency printing to stdout would break the one-JSON-line contract.
console.log = (...args) => console.error(...args);

const MODES = {
	'2026-07-28': { mode: { pin: '2026-07-28' } },
	auto: { mode: 'auto' },
	legacy: { mode: 'legacy' },
};

/** How long listen waits for tools/list_changed after add_tool answered. */
const LIST_CHANGED_WAIT_MS = 5000;

/** What the elicitation handler answers in the mrtr scenario. */
const ELICITED_NAME = 'Ada';

/** What the elicitation handler answers when asked for a color. */
const ELICITED_COLOR = 'green';

/** What the sampling handler answers. */
const SAMPLED_TEXT = '4';

/** The client's one root. */
const ROOT_URI = 'file:///work/ada';

const SCENARIOS = { list, call, read, prompt, progress, mrtr, listen };

/**
 * Scenarios for members/asking-member.mjs (interview, sampling, roots) and for the
 * input_required tools of members/stateless-member.mjs (multi_round, mrtr_sampling,
 * mrtr_roots, mrtr_inputs), left out of 'all'.
 */
const ASKING_SCENARIOS = {
	interview,
	sampling,
	roots,
	multi_round: (session) => asking(session, 'test_input_required_result_multi_round'),
	mrtr_sampling: (session) => asking(session, 'test_input_required_result_sampling'),
	mrtr_roots: (session) => asking(session, 'test_input_required_result_list_roots'),
	mrtr_inputs: (session) => asking(session, 'test_input_required_result_multiple_inputs'),
};

// ----- connecting -----

/**
 * A connected client plus the JSON-RPC requests it put on the wire (method and, for
 * tools/call, the tool name): the mrtr scenario counts rounds from them, and a failure
 * report is easier to read with them.
 */
async function connect(url, mode, token) {
	const wire = [];
	// Records each POSTed JSON-RPC request before handing it to the real fetch.
	const recordingFetch = async (input, init) => {
		if (init?.method === 'POST' && typeof init.body === 'string') {
			for (const message of [JSON.parse(init.body)].flat()) {
				if (message.method !== undefined && message.id !== undefined) {
					wire.push({ method: message.method, name: message.params?.name });
				}
			}
		}
		return fetch(input, init);
	};
	const client = new Client(
		{ name: 'vmcp-sdk-client', version: '1.0.0' },
		{
			versionNegotiation: MODES[mode],
			// Declared so that a server (or the gateway) may ask for form elicitation,
			// sampling and roots: in the 2026-07-28 era inside an InputRequiredResult, in
			// 2025 as requests.
			capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} },
			// The default, spelled out: the SDK fulfils input_required results through the
			// elicitation/create handler below and retries the call itself.
			inputRequired: { autoFulfill: true, maxRounds: 5 },
		},
	);
	const elicitations = [];
	const asked = [];
	client.setRequestHandler('elicitation/create', async (request) => {
		elicitations.push(request.params.message);
		asked.push('elicitation/create');
		const content = { name: ELICITED_NAME };
		if (request.params.requestedSchema?.properties?.color !== undefined) {
			content.color = ELICITED_COLOR;
		}
		return { action: 'accept', content };
	});
	client.setRequestHandler('sampling/createMessage', async () => {
		asked.push('sampling/createMessage');
		return { role: 'assistant', content: { type: 'text', text: SAMPLED_TEXT }, model: 'vmcp-test-model' };
	});
	client.setRequestHandler('roots/list', async () => {
		asked.push('roots/list');
		return { roots: [{ uri: ROOT_URI, name: 'ada' }] };
	});
	const requestInit = token ? { headers: { Authorization: `Bearer ${token}` } } : undefined;
	const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: recordingFetch, requestInit });
	await client.connect(transport);
	return { client, wire, elicitations, asked };
}

/** Which revision the client ended up speaking, as the SDK reports it. */
function negotiated(client) {
	return { protocolVersion: client.getNegotiatedProtocolVersion(), era: client.getProtocolEra() };
}

function textOf(result) {
	return result.content?.filter((block) => block.type === 'text').map((block) => block.text).join('');
}

// ----- scenarios: each gets a connected session and returns its outcome -----

async function list({ client }) {
	const [tools, prompts, resources] = await Promise.all([
		client.listTools(),
		client.listPrompts(),
		client.listResources(),
	]);
	return {
		tools: tools.tools.map((tool) => tool.name),
		prompts: prompts.prompts.map((item) => item.name),
		resources: resources.resources.map((resource) => resource.uri),
	};
}

async function call({ client }) {
	const result = await client.callTool({ name: 'echo', arguments: { text: 'hello through the gateway' } });
	return { text: textOf(result), isError: result.isError === true };
}

async function read({ client }) {
	const result = await client.readResource({ uri: 'member://greeting' });
	return { contents: result.contents.map((content) => ({ uri: content.uri, text: content.text })) };
}

async function prompt({ client }) {
	const result = await client.getPrompt({ name: 'greet', arguments: { name: 'Grace' } });
	return { messages: result.messages.map((message) => ({ role: message.role, text: message.content.text })) };
}

async function progress({ client }) {
	const received = [];
	// Passing onprogress makes the SDK send a progressToken in the request's _meta.
	const result = await client.callTool(
		{ name: 'count_with_progress', arguments: { steps: 3 } },
		{ onprogress: (update) => received.push(update) },
	);
	// Taken when the result arrived: anything counted here came before it.
	const beforeResult = received.length;
	return { text: textOf(result), progressBeforeResult: beforeResult, progress: received };
}

async function mrtr({ client, wire, elicitations }) {
	const name = 'test_input_required_result_elicitation';
	const result = await client.callTool({ name, arguments: {} });
	return {
		text: textOf(result),
		// One tools/call per round: the first one is answered with input_required, the
		// SDK asks the handler and retries with inputResponses.
		rounds: wire.filter((request) => request.method === 'tools/call' && request.name === name).length,
		elicitations,
	};
}

/** Calls a tool of the asking member; the SDK answers what it asks, round after round. */
async function asking(session, name) {
	const progress = [];
	const result = await session.client.callTool({ name, arguments: {} }, { onprogress: (update) => progress.push(update) });
	return {
		text: textOf(result),
		isError: result.isError === true,
		rounds: session.wire.filter((request) => request.method === 'tools/call' && request.name === name).length,
		asked: session.asked,
		progress,
	};
}

async function interview(session) {
	return asking(session, 'interview');
}

async function sampling(session) {
	return asking(session, 'ask_model');
}

async function roots(session) {
	return asking(session, 'list_roots');
}

async function listen({ client }) {
	let resolveChanged;
	const changed = new Promise((resolve) => (resolveChanged = resolve));
	client.setNotificationHandler('notifications/tools/list_changed', () => resolveChanged(true));
	// In the 2026-07-28 era change notifications come on a subscriptions/listen stream;
	// on a 2025 connection they come on the session's GET stream, with no listen().
	const subscription = client.getProtocolEra() === 'modern' ? await client.listen({ toolsListChanged: true }) : undefined;
	try {
		const added = `added_${Date.now()}`;
		const result = await client.callTool({ name: 'add_tool', arguments: { name: added } });
		const timeout = new Promise((resolve) => setTimeout(() => resolve(false), LIST_CHANGED_WAIT_MS));
		return {
			honoredFilter: subscription?.honoredFilter,
			addTool: textOf(result),
			listChanged: await Promise.race([changed, timeout]),
		};
	}
	finally {
		await subscription?.close();
	}
}

// ----- running -----

/** Runs one scenario on a fresh connection; never throws, failures become { ok: false }. */
async function runScenario(url, mode, name, token) {
	let session;
	try {
		session = await connect(url, mode, token);
		const outcome = await ({ ...SCENARIOS, ...ASKING_SCENARIOS })[name](session);
		return { ok: true, ...negotiated(session.client), ...outcome };
	}
	catch (error) {
		return {
			ok: false,
			...(session ? negotiated(session.client) : {}),
			error: `${error.name}: ${error.message}`,
			code: error.code,
			data: error.data,
			wire: session?.wire,
		};
	}
	finally {
		await session?.client.close().catch(() => {});
	}
}

async function main() {
	const [url, mode, scenario, token] = process.argv.slice(2);
	const known = { ...SCENARIOS, ...ASKING_SCENARIOS };
	if (!url || !(mode in MODES) || !(scenario === 'all' || scenario in known)) {
		console.error(`usage: sdk-client.mjs <url> <${Object.keys(MODES).join('|')}> <${Object.keys(known).join('|')}|all> [bearer-token]`);
		process.exit(2);
	}
	let outcome;
	if (scenario === 'all') {
		const scenarios = {};
		// One after the other: listen's add_tool changes the member's tool list.
		for (const name of Object.keys(SCENARIOS)) {
			scenarios[name] = await runScenario(url, mode, name, token);
		}
		const ok = Object.values(scenarios).every((each) => each.ok);
		outcome = { ok, mode, scenario, ...scenarios };
	}
	else {
		outcome = { mode, scenario, ...(await runScenario(url, mode, scenario, token)) };
	}
	process.stdout.write(JSON.stringify(outcome) + '\n');
	// Open sockets or timers must not keep the process alive after the answer.
	process.exit(outcome.ok ? 0 : 1);
}

await main();
