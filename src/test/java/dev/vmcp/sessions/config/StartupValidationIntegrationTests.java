package dev.vmcp.sessions.config;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.vmcp.sessions.testsupport.TestIssuer;
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
	void jwtModeWithoutAnAudienceRefusesToStartNamingBothProperties() {
		assertThatException()
			.isThrownBy(() -> TestPod.start(Map.of("spring.security.oauth2.resourceserver.jwt.public-key-location",
					TestIssuer.create().publicKeyLocation())))
			.withStackTraceContaining("JWT mode needs the audience a token must be issued for")
			.withStackTraceContaining("vmcp.jwt.audiences")
			.withStackTraceContaining("spring.security.oauth2.resourceserver.jwt.audiences");
	}

	@Test
	void aRequiredScopeThatIsNotOneScopeRefusesToStart() {
		assertThatException()
			.isThrownBy(() -> TestPod.start(Map.of("vmcp.jwt.required-scopes[0]", "mcp:read mcp:call")))
			.withStackTraceContaining("vmcp.jwt.requiredScopes[0]")
			.withStackTraceContaining("must be one OAuth scope");
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

	@Test
	void twoToolsRenamedToOneNameRefuseToStart() {
		assertThatException()
			.isThrownBy(() -> TestPod
				.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url", "http://127.0.0.1:1/mcp",
						"vmcp.backends[0].tools.rename.first", "same", "vmcp.backends[0].tools.rename.second", "same")))
			.withStackTraceContaining("vmcp.backends[0].tools.rename gives both")
			.withStackTraceContaining("the name same");
	}

	@Test
	void aMemberTakingTheCallersIdentityWithoutJwtModeRefusesToStart() {
		assertThatException()
			.isThrownBy(() -> TestPod.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url",
					"http://127.0.0.1:1/mcp", "vmcp.backends[0].auth.type", "token-exchange",
					"vmcp.backends[0].auth.token-uri", "http://127.0.0.1:2/oauth2/token",
					"vmcp.backends[0].auth.client-id", "vmcp", "vmcp.backends[0].auth.client-secret", "secret")))
			.withStackTraceContaining("vmcp.backends[0].auth.type is token-exchange")
			.withStackTraceContaining("JWT mode");
	}

	@Test
	void aMemberTokenWithoutATokenEndpointRefusesToStart() {
		assertThatException()
			.isThrownBy(() -> TestPod.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url",
					"http://127.0.0.1:1/mcp", "vmcp.backends[0].auth.type", "client-credentials",
					"vmcp.backends[0].auth.client-id", "vmcp", "vmcp.backends[0].auth.client-secret", "secret")))
			.withStackTraceContaining("vmcp.backends[0].auth.token-uri must be set");
	}

	@Test
	void aMemberTokenBesideAStaticAuthorizationHeaderRefusesToStart() {
		assertThatException()
			.isThrownBy(() -> TestPod
				.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url", "http://127.0.0.1:1/mcp",
						"vmcp.backends[0].headers.Authorization", "Bearer static", "vmcp.backends[0].auth.type",
						"client-credentials", "vmcp.backends[0].auth.token-uri", "http://127.0.0.1:2/oauth2/token",
						"vmcp.backends[0].auth.client-id", "vmcp", "vmcp.backends[0].auth.client-secret", "secret")))
			.withStackTraceContaining("vmcp.backends[0].headers.Authorization and vmcp.backends[0].auth.type");
	}

	@Test
	void aRenameToAnInvalidToolNameRefusesToStart() {
		assertThatException()
			.isThrownBy(() -> TestPod.start(Map.of("vmcp.backends[0].name", "alpha", "vmcp.backends[0].url",
					"http://127.0.0.1:1/mcp", "vmcp.backends[0].tools.rename.first", "has space")))
			.withStackTraceContaining("vmcp.backends[0].tools.rename");
	}

	@Test
	void aPolicyRuleThatDoesNotCompileRefusesToStartNamingItsLineAndColumn() {
		assertThatException()
			.isThrownBy(() -> TestPod.start(Map.of("vmcp.policy.rules[0].name", "typo", "vmcp.policy.rules[0].effect",
					"deny", "vmcp.policy.rules[0].when", "kind == 'tool' &&\n  itme.name == 'drop'")))
			.withStackTraceContaining("vmcp.policy.rules[0].when (rule 'typo') does not compile")
			.withStackTraceContaining("2:3");
	}

	@Test
	void jwtModeWithoutAnAuthorizationServerRefusesToStartNamingTheProperty() {
		assertThatException()
			.isThrownBy(() -> TestPod.start(Map.of("spring.security.oauth2.resourceserver.jwt.public-key-location",
					TestIssuer.create().publicKeyLocation(), "vmcp.jwt.audiences", TestIssuer.AUDIENCE)))
			.withStackTraceContaining("vmcp.mcp.authorization-servers");
	}

}
