package dev.vmcp.sessions.audit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.springframework.boot.test.system.CapturedOutput;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit events a test's pods wrote on the console: the JSON lines of the
 * {@value AuditTrail#LOGGER} logger, read as the ECS encoder wrote them.
 */
public final class CapturedAuditEvents {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final CapturedOutput output;

	public CapturedAuditEvents(CapturedOutput output) {
		this.output = output;
	}

	/** Every audit line so far, as written. */
	List<String> lines() {
		return this.output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{") && line.contains("\"logger\":\"" + AuditTrail.LOGGER + "\""))
			.toList();
	}

	List<JsonNode> events() {
		return lines().stream().map(JSON::readTree).toList();
	}

	/**
	 * The one event of {@code action} that {@code which} picks, once it is written (a
	 * request's event follows its answer).
	 */
	public JsonNode one(String action, Predicate<JsonNode> which) {
		await().atMost(Duration.ofSeconds(10)).until(() -> find(action, which).isPresent());
		List<JsonNode> matching = matching(action, which);
		assertThat(matching).as("events of %s", action).hasSize(1);
		return matching.getFirst();
	}

	/** Whether the event names {@code name} (a tool, prompt, resource or task). */
	public static Predicate<JsonNode> named(String name) {
		return (event) -> name.equals(event.at("/vmcp/name").asString(""));
	}

	private Optional<JsonNode> find(String action, Predicate<JsonNode> which) {
		return matching(action, which).stream().findFirst();
	}

	private List<JsonNode> matching(String action, Predicate<JsonNode> which) {
		return events().stream()
			.filter((event) -> action.equals(event.at("/event/action").asString("")))
			.filter(which)
			.toList();
	}

}
