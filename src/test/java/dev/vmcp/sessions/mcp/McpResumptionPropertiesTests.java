package dev.vmcp.sessions.mcp;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resumption properties bind under their documented names, with the documented
 * defaults.
 */
class McpResumptionPropertiesTests {

	@Test
	void theDocumentedNamesBind() {
		Binder binder = new Binder(
				new MapConfigurationPropertySource(Map.of("vmcp.mcp.replay-window", "90s", "vmcp.mcp.replay-max-events",
						"50", "vmcp.mcp.stream-poll-interval", "30s", "vmcp.mcp.stream-retry", "250ms")));

		McpProperties properties = binder.bind("vmcp.mcp", McpProperties.class).get();

		assertThat(properties.replayWindow()).isEqualTo(Duration.ofSeconds(90));
		assertThat(properties.replayMaxEvents()).isEqualTo(50);
		assertThat(properties.streamPollInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.streamRetry()).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void theDefaultsAreTheDocumentedOnes() {
		McpProperties properties = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("vmcp.mcp",
				McpProperties.class);

		assertThat(properties.replayWindow()).isEqualTo(Duration.ofMinutes(5));
		assertThat(properties.replayMaxEvents()).isEqualTo(1000);
		assertThat(properties.streamPollInterval()).isZero();
		assertThat(properties.streamRetry()).isEqualTo(Duration.ofSeconds(1));
	}

}
