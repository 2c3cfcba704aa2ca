package dev.vmcp.sessions.config;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON logs are one property away, and session ids never appear whole in them.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingIntegrationTests {

	@Test
	void logsAreJsonLinesWithoutWholeSessionIds(CapturedOutput output) {
		String id;
		try (TestPod pod = TestPod
			.start(Map.of("logging.structured.format.console", "logstash", "logging.level.dev.vmcp.sessions", "debug",
					"vmcp.backends[0].name", "down", "vmcp.backends[0].url", "http://127.0.0.1:9/mcp"))) {
			id = pod.http().postEmpty("/api/v1/sessions").sessionId();
			pod.http().get("/api/v1/sessions/" + id);
			pod.http().delete("/api/v1/sessions/" + id);
		}
		assertThat(output.getOut()).contains("{\"@timestamp\"").contains("Backend down unavailable");
		assertThat(output.getOut().lines().filter((line) -> line.contains("Closing"))).isNotEmpty()
			.allMatch((line) -> line.startsWith("{") && line.endsWith("}"));
		assertThat(output.getAll()).doesNotContain(id);
	}

}
