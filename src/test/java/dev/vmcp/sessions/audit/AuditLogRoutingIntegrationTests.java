package dev.vmcp.sessions.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The logging configuration the README gives for sending the audit to a file of its own
 * does so: every event in the file, none on the console.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditLogRoutingIntegrationTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void theReadmesExampleWritesTheAuditToItsOwnFileAndNotToTheConsole(CapturedOutput output, @TempDir Path dir)
			throws IOException {
		Path configuration = Files.writeString(dir.resolve("logback.xml"), readmeExample());
		Path auditFile = dir.resolve("audit.json");
		System.setProperty("AUDIT_FILE", auditFile.toString());
		String sessionId;
		try (TestPod pod = TestPod.start(Map.of("logging.config", "file:" + configuration))) {
			sessionId = pod.http().postEmpty("/api/v1/sessions").sessionId();
			assertThat(pod.http().delete("/api/v1/sessions/" + sessionId).status()).isEqualTo(204);
			await().until(() -> Files.exists(auditFile) && Files.readAllLines(auditFile).size() == 2);
		}
		finally {
			System.clearProperty("AUDIT_FILE");
		}
		List<JsonNode> events = Files.readAllLines(auditFile).stream().map(JSON::readTree).toList();
		assertThat(events).extracting((event) -> event.at("/event/action").asString())
			.containsExactly("session-start", "session-end");
		assertThat(events).allSatisfy((event) -> {
			assertThat(event.at("/log/logger").asString()).isEqualTo(AuditTrail.LOGGER);
			assertThat(event.at("/vmcp/session/id").asString()).isEqualTo(sessionId.substring(0, 8) + "…");
		});
		assertThat(output.getOut()).doesNotContain(AuditTrail.LOGGER).doesNotContain("session-start");
	}

	/** The logback configuration of the README's "Audit" section, as printed there. */
	private static String readmeExample() throws IOException {
		String readme = Files.readString(Path.of("README.md"));
		String audit = readme.substring(readme.indexOf("## Audit"), readme.indexOf("## Configure it"));
		Matcher example = Pattern.compile("```xml\\n(<configuration>.*?</configuration>)\\n```", Pattern.DOTALL)
			.matcher(audit);
		assertThat(example.find()).as("the README's logback example").isTrue();
		return example.group(1);
	}

}
