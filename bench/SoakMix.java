import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The part of the soak's mix that crosses revisions, beside the 2025 sessions of
 * {@link Soak}: 2026-07-28 requests without a session ({@code server/discover},
 * {@code tools/list}, {@code tools/call} of an echo on members of both revisions), Multi
 * Round-Trip Requests on a 2025 member's question (a 2026-07-28 call of
 * {@code alpha_confirm}, which asks by {@code elicitation/create}, answered by sending the
 * call again to another pod with {@code inputResponses} and the {@code requestState}), and
 * resumed 2025 streams (a {@code tools/call} of {@code alpha_work} in a 2025 session whose
 * event stream is cut after its first event and resumed on another pod with
 * {@code Last-Event-ID}: every event must arrive once, the response last). Each request is
 * one event of the soak's history; an answer that is not the one expected is recorded as
 * {@link Soak#BAD_ANSWER} with a note starting with "wrong", which the checker counts as a
 * violation.
 */
final class SoakMix {

	static final String VERSION_2026 = "2026-07-28";

	/** The 2025 member whose tools ask the client ({@code confirm}) and stream ({@code work}). */
	private static final String ASKING_MEMBER = "alpha";

	private final Soak soak;

	private final List<String> echoTools;

	SoakMix(Soak soak, List<String> echoTools) {
		this.soak = soak;
		this.echoTools = echoTools;
	}

	/** One operation of the mix, chosen at random. */
	void step(Soak.CallerState caller, Random random, Soak.Recorder recorder) {
		int r = random.nextInt(10);
		if (r < 2) {
			discover(caller.index, recorder);
		}
		else if (r < 4) {
			list(caller.index, recorder);
		}
		else if (r < 6) {
			call(caller.index, random, recorder);
		}
		else if (r < 8) {
			askAndAnswer(caller.index, recorder);
		}
		else {
			Soak.Tracked t = caller.pick(random, true);
			if (t != null) {
				cutAndResume(caller, t, recorder);
			}
		}
	}

	// ------------------------------------------------------------------ 2026-07-28 requests

	void discover(int caller, Soak.Recorder recorder) {
		Soak.Answer answer = send(recorder, caller, Soak.Op.DISCOVER_2026, this.soak.nextPod(),
				request("server/discover", this.soak.nextRpcId(), Soak.JSON.createObjectNode(), "{}"), null);
		JsonNode result = (answer.status() == 200) ? Soak.rpcResult(answer.body()) : null;
		boolean right = result != null && result.path("supportedVersions").toString().contains(VERSION_2026);
		record(recorder, caller, Soak.Op.DISCOVER_2026, answer, right,
				"no 2026-07-28 in its supportedVersions: " + Soak.abbreviate(answer.body()));
	}

	void list(int caller, Soak.Recorder recorder) {
		Soak.Answer answer = send(recorder, caller, Soak.Op.LIST_2026, this.soak.nextPod(),
				request("tools/list", this.soak.nextRpcId(), Soak.JSON.createObjectNode(), "{}"), null);
		JsonNode result = (answer.status() == 200) ? Soak.rpcResult(answer.body()) : null;
		Set<String> names = new HashSet<>();
		if (result != null) {
			result.path("tools").forEach((tool) -> names.add(tool.path("name").asString("")));
		}
		// A merged list gives each member's part a page of its own, and leaves out a member
		// that cannot answer now: the first page has the echo of the first member reached.
		boolean right = result != null && this.echoTools.stream().anyMatch(names::contains);
		record(recorder, caller, Soak.Op.LIST_2026, answer, right,
				"the first page has no member's echo: " + Soak.abbreviate(answer.body()));
	}

	void call(int caller, Random random, Soak.Recorder recorder) {
		String tool = this.echoTools.get(random.nextInt(this.echoTools.size()));
		String text = "soak-" + Long.toHexString(random.nextLong());
		ObjectNode params = Soak.JSON.createObjectNode().put("name", tool);
		params.putObject("arguments").put("text", text);
		Soak.Answer answer = send(recorder, caller, Soak.Op.CALL_2026, this.soak.nextPod(),
				request("tools/call", this.soak.nextRpcId(), params, "{}"), tool);
		JsonNode result = (answer.status() == 200) ? Soak.rpcResult(answer.body()) : null;
		String echoed = (result != null) ? result.path("content").path(0).path("text").asString("") : "";
		String expected = this.soak.expectedEcho(tool, text);
		record(recorder, caller, Soak.Op.CALL_2026, answer, expected.equals(echoed),
				"echo from " + tool + ": sent " + text + ", expected " + expected + ", got " + echoed);
	}

	/**
	 * A 2026-07-28 call of a 2025 member's tool that asks: the question comes back as an
	 * {@code InputRequiredResult}, the answer goes to another pod with the state.
	 */
	void askAndAnswer(int caller, Soak.Recorder recorder) {
		String tool = ASKING_MEMBER + "_confirm";
		String capabilities = "{\"elicitation\":{}}";
		ObjectNode params = Soak.JSON.createObjectNode().put("name", tool);
		params.putObject("arguments");
		int askPod = this.soak.nextPod();
		Soak.Answer asked = send(recorder, caller, Soak.Op.MRTR_ASK, askPod,
				request("tools/call", this.soak.nextRpcId(), params, capabilities), tool);
		JsonNode question = (asked.status() == 200) ? Soak.rpcResult(asked.body()) : null;
		boolean isQuestion = question != null && "input_required".equals(question.path("resultType").asString(""))
				&& question.path("requestState").isString() && question.path("inputRequests").size() == 1;
		record(recorder, caller, Soak.Op.MRTR_ASK, asked, isQuestion,
				"not an InputRequiredResult with one question and a state: " + Soak.abbreviate(asked.body()));
		if (!isQuestion) {
			return;
		}
		String key = question.path("inputRequests").propertyNames().iterator().next();
		ObjectNode retry = params.deepCopy();
		retry.putObject("inputResponses")
			.putObject(key)
			.put("action", "accept")
			.putObject("content")
			.put("ok", true);
		retry.put("requestState", question.path("requestState").asString());
		int answerPod = otherPod(asked.pod());
		Soak.Answer answered = send(recorder, caller, Soak.Op.MRTR_ANSWER, answerPod,
				request("tools/call", this.soak.nextRpcId(), retry, capabilities), tool);
		JsonNode result = (answered.status() == 200) ? Soak.rpcResult(answered.body()) : null;
		String text = (result != null) ? result.path("content").path(0).path("text").asString("") : "";
		if (answered.status() == 200 && result == null && answered.body().contains("-32010")) {
			// The pod that holds the member's stream stopped: the call is lost, as the
			// README says. Recorded on that pod, over the whole call, so that a restart
			// of that pod explains it.
			this.soak.record(recorder, null, caller, Soak.Op.MRTR_ANSWER,
					new Soak.Answer(asked.pod(), asked.sent(), answered.answered(), answered.status(), answered.body(),
							answered.headers(), null),
					Soak.BAD_ANSWER, null, "the call is lost (asked on pod" + (asked.pod() + 1) + ")");
			return;
		}
		record(recorder, caller, Soak.Op.MRTR_ANSWER, answered,
				text.startsWith("user said") && text.toLowerCase(java.util.Locale.ROOT).contains("accept")
						&& text.contains("ok=true"),
				"answer to " + key + ": " + Soak.abbreviate(answered.body()));
	}

	// ------------------------------------------------------------------ resumed 2025 streams

	/**
	 * A 2025 call whose event stream is cut after its first event, then resumed on
	 * another pod from that event: the events of both parts, each once, in order, the
	 * response last.
	 */
	void cutAndResume(Soak.CallerState caller, Soak.Tracked t, Soak.Recorder recorder) {
		long id = this.soak.nextRpcId();
		String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
				+ ASKING_MEMBER + "_work\",\"arguments\":{},\"_meta\":{\"progressToken\":\"p" + id + "\"}}}";
		int firstPod = this.soak.nextPod();
		long sent = this.soak.now();
		List<SseEvent> first = new ArrayList<>();
		Soak.Answer cut;
		try {
			HttpResponse<InputStream> response = this.soak.http()
				.send(this.soak.mcp(firstPod, caller.index, t.id)
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.build(), HttpResponse.BodyHandlers.ofInputStream());
			String other = "";
			try (InputStream in = response.body()) {
				if (response.statusCode() == 200
						&& response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
					readEvents(in, first, 1);
				}
				else {
					other = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
			}
			cut = new Soak.Answer(firstPod, sent, this.soak.now(), response.statusCode(), other, response.headers(),
					null);
		}
		catch (IOException ex) {
			cut = new Soak.Answer(firstPod, sent, this.soak.now(), Soak.IO_ERROR, "", null, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		t.answered(cut.answered());
		boolean gotFirst = first.size() == 1 && first.get(0).id() != null;
		record(recorder, t.id, caller.index, Soak.Op.RESUME_CUT, cut, gotFirst,
				"no event with an id before the cut: " + Soak.abbreviate(cut.body()));
		if (cut.status() == 404) {
			caller.end(t);
		}
		if (!gotFirst) {
			return;
		}
		String lastEventId = first.get(0).id();
		int resumePod = otherPod(firstPod);
		long resumeSent = this.soak.now();
		List<SseEvent> rest = new ArrayList<>();
		Soak.Answer resumed;
		try {
			HttpResponse<InputStream> response = this.soak.http()
				.send(this.soak.mcp(resumePod, caller.index, t.id)
					.header("Accept", "text/event-stream")
					.header("Last-Event-ID", lastEventId)
					.GET()
					.build(), HttpResponse.BodyHandlers.ofInputStream());
			String other = "";
			try (InputStream in = response.body()) {
				if (response.statusCode() == 200) {
					readEvents(in, rest, Integer.MAX_VALUE);
				}
				else {
					other = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				}
			}
			resumed = new Soak.Answer(resumePod, resumeSent, this.soak.now(), response.statusCode(), other,
					response.headers(), null);
		}
		catch (IOException ex) {
			resumed = new Soak.Answer(resumePod, resumeSent, this.soak.now(), Soak.IO_ERROR, "", null, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		t.answered(resumed.answered());
		List<SseEvent> all = new ArrayList<>(first);
		all.addAll(rest);
		SseEvent last = all.get(all.size() - 1);
		if (resumed.status() == 200 && last.data().contains("\"error\"") && Soak.rpcResult(last.data()) == null) {
			// The call itself failed (its member could not be reached, say): a failed
			// request, as for the session operations, not a wrong resumption.
			this.soak.record(recorder, t.id, caller.index, Soak.Op.RESUME_GET, resumed, Soak.BAD_ANSWER, null,
					"error answer: " + Soak.abbreviate(last.data()));
			return;
		}
		String problem = (resumed.status() == 200) ? checkResumed(all, id) : null;
		record(recorder, t.id, caller.index, Soak.Op.RESUME_GET, resumed, problem == null,
				"resumed from " + lastEventId + ": " + problem);
		if (resumed.status() == 404) {
			caller.end(t);
		}
	}

	/**
	 * What is wrong with the events of a cut and resumed call, or null: ids of one stream
	 * numbered one after the other (none twice, none missing), two progress notifications,
	 * a log message, and the response last, with the tool's text.
	 */
	static String checkResumed(List<SseEvent> events, long id) {
		List<JsonNode> messages = new ArrayList<>();
		String stream = null;
		long previous = -1;
		for (SseEvent event : events) {
			if (event.data().isEmpty()) {
				continue;
			}
			int colon = (event.id() != null) ? event.id().lastIndexOf(':') : -1;
			if (colon < 0) {
				return "an event without an id of the gateway's: " + event;
			}
			String eventStream = event.id().substring(0, colon);
			long n = Long.parseLong(event.id().substring(colon + 1));
			if (stream != null && (!stream.equals(eventStream) || n != previous + 1)) {
				return "event " + event.id() + " after " + stream + ":" + previous;
			}
			stream = eventStream;
			previous = n;
			messages.add(Soak.JSON.readTree(event.data()));
		}
		long progress = messages.stream()
			.filter((m) -> m.path("method").asString("").equals("notifications/progress"))
			.count();
		long logs = messages.stream()
			.filter((m) -> m.path("method").asString("").equals("notifications/message"))
			.count();
		JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
		if (last == null || last.path("id").asLong(-1) != id || !last.has("result")) {
			return "the response is not the last event: " + messages;
		}
		if (progress != 2 || logs != 1 || messages.size() != 4) {
			return "expected 2 progress notifications, 1 log message and the response, got " + messages;
		}
		String text = last.path("result").path("content").path(0).path("text").asString("");
		return text.equals("worked on " + ASKING_MEMBER) ? null : "wrong result: " + text;
	}

	/** An event of a stream: its id (null when it has none) and its data. */
	record SseEvent(String id, String data) {

	}

	/** Reads events until {@code max} with data have come, or the stream ends. */
	static void readEvents(InputStream in, List<SseEvent> events, int max) throws IOException {
		BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
		String id = null;
		StringBuilder data = new StringBuilder();
		int withData = 0;
		String line;
		while (withData < max && (line = reader.readLine()) != null) {
			if (line.isEmpty()) {
				if (!data.isEmpty()) {
					events.add(new SseEvent(id, data.toString()));
					withData++;
				}
				id = null;
				data.setLength(0);
			}
			else if (line.startsWith("id:")) {
				id = line.substring(3).strip();
			}
			else if (line.startsWith("data:")) {
				data.append(line.substring(5).strip());
			}
		}
	}

	// ------------------------------------------------------------------ helpers

	private int otherPod(int pod) {
		int other = this.soak.nextPod();
		return (other != pod) ? other : (pod + 1) % this.soak.podCount();
	}

	/** A 2026-07-28 request: its {@code _meta} carries the version and capabilities. */
	static ObjectNode request(String method, long id, ObjectNode params, String capabilities) {
		ObjectNode meta = params.putObject("_meta");
		meta.put("io.modelcontextprotocol/protocolVersion", VERSION_2026);
		meta.set("io.modelcontextprotocol/clientCapabilities", Soak.JSON.readTree(capabilities));
		meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "soak-2026").put("version", "1");
		ObjectNode request = Soak.JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
		request.set("params", params);
		return request;
	}

	private Soak.Answer send(Soak.Recorder recorder, int caller, Soak.Op op, int firstPod, ObjectNode request,
			String name) {
		String body = Soak.JSON.writeValueAsString(request);
		String method = request.path("method").asString();
		return this.soak.exchange(recorder, null, caller, op, firstPod, (pod) -> {
			HttpRequest.Builder builder = this.soak.mcp(pod, caller, null)
				.header("MCP-Protocol-Version", VERSION_2026)
				.header("Mcp-Method", method)
				.POST(HttpRequest.BodyPublishers.ofString(body));
			return (name != null) ? builder.header("Mcp-Name", name) : builder;
		});
	}

	private void record(Soak.Recorder recorder, int caller, Soak.Op op, Soak.Answer answer, boolean right,
			String wrong) {
		record(recorder, null, caller, op, answer, right, wrong);
	}

	private void record(Soak.Recorder recorder, String session, int caller, Soak.Op op, Soak.Answer answer,
			boolean right, String wrong) {
		if (answer.status() != op.success() || right) {
			this.soak.record(recorder, session, caller, op, answer, answer.status(), null, answer.note());
			return;
		}
		// A JSON-RPC error (a member that could not be reached, say) is a failed request,
		// as for the session operations; any other answer is a wrong one.
		boolean error = answer.body().contains("\"error\"") && Soak.rpcResult(answer.body()) == null;
		String note = error ? "error answer: " + Soak.abbreviate(answer.body()) : "wrong answer: " + wrong;
		this.soak.record(recorder, session, caller, op, answer, Soak.BAD_ANSWER, null, note);
	}

}
