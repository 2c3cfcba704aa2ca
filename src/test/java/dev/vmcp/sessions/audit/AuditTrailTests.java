package dev.vmcp.sessions.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.audit.AuditProperties.ArgumentsMode;
import dev.vmcp.sessions.audit.AuditProperties.SubjectMode;
import dev.vmcp.sessions.session.Caller;
import dev.vmcp.sessions.session.ExpiryNote;
import dev.vmcp.sessions.session.SessionRecord;
import dev.vmcp.sessions.session.SessionEvents.Ending;
import dev.vmcp.sessions.session.SessionId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the trail writes for each operation, as key-value pairs on the
 * {@value AuditTrail#LOGGER} logger.
 */
class AuditTrailTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Caller ALICE = new Caller("hmac:alice-binding", false, "https://issuer.test", "alice",
			Map.of());

	private final Logger logger = (Logger) LoggerFactory.getLogger(AuditTrail.LOGGER);

	private final ListAppender<ILoggingEvent> written = new ListAppender<>();

	@BeforeEach
	void listen() {
		this.written.start();
		this.logger.addAppender(this.written);
	}

	@AfterEach
	void stopListening() {
		this.logger.detachAppender(this.written);
	}

	@Test
	void aRequestIsNamedAsTheClientSentItBeforeRoutingRenamedIt() {
		ObjectNode request = request("tools/call", "{\"name\":\"alpha_echo\",\"arguments\":{\"text\":\"hi\"}}");
		AuditTrail.PendingRequest pending = trail(SubjectMode.PLAIN, ArgumentsMode.NONE).begin(ALICE, request);
		((ObjectNode) request.get("params")).put("name", "echo");
		pending.end("alpha", AuditOutcome.OK);

		Map<String, Object> fields = onlyEvent();
		assertThat(fields).containsEntry("event.action", "tools/call")
			.containsEntry("vmcp.name", "alpha_echo")
			.containsEntry("vmcp.member", "alpha")
			.containsEntry("event.outcome", "success")
			.containsEntry("vmcp.outcome", "ok")
			.containsEntry("user.id", "alice")
			.containsEntry("user.domain", "https://issuer.test")
			.doesNotContainKeys("vmcp.arguments.sha256", "error.code", "event.reason");
		assertThat(this.written.list.getFirst().getFormattedMessage()).isEqualTo("tools/call alpha_echo -> alpha: ok");
	}

	@Test
	void aHashedSubjectIsTheBindingAlone() {
		trail(SubjectMode.HASHED, ArgumentsMode.NONE).begin(ALICE, request("resources/read", "{\"uri\":\"a://b\"}"))
			.end("alpha", AuditOutcome.error(-32002));

		assertThat(onlyEvent()).containsEntry("user.id", "hmac:alice-binding")
			.doesNotContainKey("user.domain")
			.containsEntry("vmcp.outcome", "error")
			.containsEntry("error.code", "-32002");
	}

	@Test
	void argumentsAreDigestedOnlyWhenAskedFor() {
		String params = "{\"name\":\"greet\",\"arguments\":{\"who\":\"world\"}}";
		trail(SubjectMode.PLAIN, ArgumentsMode.DIGEST).begin(ALICE, request("prompts/get", params))
			.end("alpha", AuditOutcome.OK);

		assertThat(onlyEvent()).containsEntry("vmcp.arguments.sha256",
				ArgumentDigest.of(JSON.readTree("{\"who\":\"world\"}")));
	}

	@Test
	void requestsThatNameNothingAndADisabledTrailWriteNothing() {
		trail(SubjectMode.PLAIN, ArgumentsMode.DIGEST).begin(ALICE, request("tools/list", "{}"))
			.end(null, AuditOutcome.OK);
		AuditTrail disabled = new AuditTrail(
				new AuditProperties(false, SubjectMode.PLAIN, ArgumentsMode.NONE, AuditProperties.ExpiryEvents.ON),
				new AuditLog(SubjectMode.PLAIN, "pod-1"));
		disabled.begin(ALICE, request("tools/call", "{\"name\":\"x\"}")).end("alpha", AuditOutcome.OK);
		disabled.ended(ALICE, new SessionId("0123456789abcdef0123"), Ending.TERMINATED, System.nanoTime());

		assertThat(this.written.list).isEmpty();
	}

	@Test
	void aTerminateOfAnotherCallersSessionIsDenied() {
		trail(SubjectMode.PLAIN, ArgumentsMode.NONE).ended(ALICE, new SessionId("0123456789abcdef0123"), Ending.REFUSED,
				System.nanoTime());

		assertThat(onlyEvent()).containsEntry("event.action", "session-end")
			.containsEntry("event.outcome", "failure")
			.containsEntry("vmcp.outcome", "denied")
			.containsEntry("event.reason", "the session is bound to another caller")
			.containsEntry("vmcp.session.id", "01234567…")
			.containsEntry("host.name", "pod-1");
	}

	@Test
	void anExpiredSessionIsNamedAsItsCallerWasWhenItStarted() {
		AuditTrail plain = trail(SubjectMode.PLAIN, ArgumentsMode.NONE);
		SessionRecord record = SessionRecord.pending(new SessionId("0123456789abcdef0123"), Instant.now(),
				Instant.now().plus(Duration.ofHours(1)), ALICE.owner(), List.of("alpha"), Map.of());
		ExpiryNote note = plain.expiryNote(ALICE, record, true).orElseThrow();
		plain.expired(record.id(), note);

		assertThat(onlyEvent()).containsEntry("event.action", "session-end")
			.containsEntry("event.outcome", "success")
			.containsEntry("vmcp.outcome", "expired")
			.containsEntry("event.reason", "idle")
			.containsEntry("user.id", "alice")
			.containsEntry("user.domain", "https://issuer.test")
			.containsEntry("vmcp.session.id", "01234567…")
			.containsEntry("vmcp.session.kind", "caller")
			.containsEntry("host.name", "pod-1");
		assertThat(trail(SubjectMode.HASHED, ArgumentsMode.NONE).expiryNote(ALICE, record, false))
			.as("a hashed trail keeps no subject or issuer")
			.contains(new ExpiryNote(ALICE.owner(), null, null, false, record.expiresAt()));
	}

	@Test
	void aSessionPastItsLifetimeExpiredForThatReasonAndNothingIsKeptWhenExpiriesAreOff() {
		AuditTrail trail = trail(SubjectMode.HASHED, ArgumentsMode.NONE);
		trail.expired(new SessionId("0123456789abcdef0123"),
				new ExpiryNote(ALICE.owner(), null, null, false, Instant.now().minusSeconds(1)));
		assertThat(onlyEvent()).containsEntry("event.reason", "lifetime")
			.containsEntry("user.id", "hmac:alice-binding")
			.containsEntry("vmcp.session.kind", "client");

		AuditTrail off = new AuditTrail(new AuditProperties(true, SubjectMode.PLAIN, ArgumentsMode.NONE,
				new AuditProperties.ExpiryEvents(false, true)), new AuditLog(SubjectMode.PLAIN, "pod-1"));
		SessionRecord record = SessionRecord.pending(new SessionId("0123456789abcdef0123"), Instant.now(),
				Instant.now().plus(Duration.ofHours(1)), ALICE.owner(), List.of("alpha"), Map.of());
		assertThat(off.expiryNote(ALICE, record, false)).isEmpty();
	}

	@Test
	void aRefusalOfAnAuditedMethodIsAnEventAndOfAnyOtherNone() {
		AuditTrail trail = trail(SubjectMode.PLAIN, ArgumentsMode.DIGEST);
		trail.refused(ALICE, request("ping", "{}"), -32600, 400, "Mcp-Session-Id header is required",
				System.nanoTime());
		trail.refused(ALICE, request("tools/call", "{\"name\":\"alpha_echo\",\"arguments\":{\"text\":\"x\"}}"), -32001,
				404, "session not found", System.nanoTime());

		assertThat(onlyEvent()).containsEntry("event.action", "tools/call")
			.containsEntry("vmcp.name", "alpha_echo")
			.containsEntry("event.outcome", "failure")
			.containsEntry("vmcp.outcome", "refused")
			.containsEntry("error.code", "-32001")
			.containsEntry("http.response.status_code", 404)
			.containsEntry("event.reason", "session not found")
			.doesNotContainKeys("vmcp.member", "vmcp.arguments.sha256");
	}

	private static AuditTrail trail(SubjectMode subject, ArgumentsMode arguments) {
		return new AuditTrail(new AuditProperties(true, subject, arguments, AuditProperties.ExpiryEvents.ON),
				new AuditLog(subject, "pod-1"));
	}

	private static ObjectNode request(String method, String params) {
		ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
		request.set("params", JSON.readTree(params));
		return request;
	}

	private Map<String, Object> onlyEvent() {
		assertThat(this.written.list).hasSize(1);
		Map<String, Object> fields = new LinkedHashMap<>();
		List.copyOf(this.written.list.getFirst().getKeyValuePairs())
			.forEach((pair) -> fields.put(pair.key, pair.value));
		return fields;
	}

}
