package dev.vmcp.sessions.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Invalid configuration stops the service at start-up with a message naming the property.
 */
class StartupValidationIntegrationTests {

	@Test
	void redisStoreWithoutABindingSecretRefusesToStart() {
		assertThatException().isThrownBy(() -> TestPod.start(Map.of("vmcp.session.store", "redis")))
			.withStackTraceContaining("vmcp.session.binding-secret must be set");
	}

	@Test
	void creationLimitsThatAreNotPositiveRefuseToStart() {
		assertThatException().isThrownBy(() -> TestPod.start(Map.of("vmcp.session.max-per-caller", 0)))
			.withStackTraceContaining("vmcp.session.max-per-caller");
		assertThatException().isThrownBy(() -> TestPod.start(Map.of("vmcp.session.create-rate.per-second", 0)))
			.withStackTraceContaining("vmcp.session.createRate.perSecond");
	}

	@Test
	void aReplayWindowOrBoundThatKeepsNothingOrANegativePollIntervalRefusesToStart() {
		assertThatException().isThrownBy(() -> TestPod.start(Map.of("vmcp.mcp.replay-window", "0s")))
			.withStackTraceContaining("vmcp.mcp.replayWindow");
		assertThatException().isThrownBy(() -> TestPod.start(Map.of("vmcp.mcp.replay-max-events", 0)))
			.withStackTraceContaining("vmcp.mcp.replayMaxEvents");
		assertThatException().isThrownBy(() -> TestPod.start(Map.of("vmcp.mcp.stream-poll-interval", "-1s")))
			.withStackTraceContaining("vmcp.mcp.streamPollInterval");
	}

	@Test
	void backendWithoutAUrlRefusesToStart() {
		assertThatException().isThrownBy(() -> TestPod.start(Map.of("vmcp.backends[0].name", "alpha")))
			.withStackTraceContaining("vmcp.backends[0].url");
	}

	@Test
	void duplicateBackendNamesRefuseToStart() {
		assertThatException()
			.isThrownBy(() -> TestPod
				.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url", "http://127.0.0.1:1/mcp",
						"vmcp.backends[1].name", "alpha", "vmcp.backends[1].url", "http://127.0.0.1:2/mcp")))
			.withStackTraceContaining("'alpha' repeats");
	}

}
