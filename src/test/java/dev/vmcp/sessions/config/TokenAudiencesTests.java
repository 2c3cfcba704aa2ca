package dev.vmcp.sessions.config;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which audiences a token must name: {@code vmcp.jwt.audiences}, or Spring Boot's own
 * list when that is set, and what the validator makes of a token's {@code aud}.
 */
class TokenAudiencesTests {

	private static final String GATEWAY = "https://gateway.example.com/mcp";

	@Test
	void theGatewaysAudiencesAndRequiredScopesBindFromAList() {
		JwtProperties properties = jwtProperties(Map.of("vmcp.jwt.audiences", GATEWAY + ",urn:gateway",
				"vmcp.jwt.required-scopes[0]", "mcp:read", "vmcp.jwt.required-scopes[1]", "mcp:call"));
		assertThat(properties.audiences()).containsExactly(GATEWAY, "urn:gateway");
		assertThat(properties.requiredScopes()).containsExactly("mcp:read", "mcp:call");
	}

	@Test
	void noAudienceAndNoRequiredScopeByDefault() {
		JwtProperties properties = jwtProperties(Map.of());
		assertThat(properties.audiences()).isEmpty();
		assertThat(properties.requiredScopes()).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> audiences(Map.of()).requireConfigured())
			.withMessageContaining("vmcp.jwt.audiences")
			.withMessageContaining("spring.security.oauth2.resourceserver.jwt.audiences");
	}

	@Test
	void theGatewaysAudiencesAreCheckedWhenBootHasNone() {
		TokenAudiences audiences = audiences(Map.of("vmcp.jwt.audiences", GATEWAY));
		assertThat(audiences.accepted()).containsExactly(GATEWAY);
		assertThat(audiences.resource()).contains(GATEWAY);
	}

	@Test
	void bootsAudiencesWinWhenBothAreSet() {
		TokenAudiences audiences = audiences(Map.of("vmcp.jwt.audiences", GATEWAY,
				"spring.security.oauth2.resourceserver.jwt.audiences", "urn:boot,urn:boot-too"));
		assertThat(audiences.accepted()).containsExactly("urn:boot", "urn:boot-too");
		assertThat(audiences.resource()).contains("urn:boot");
	}

	@Test
	void aTokenPassesWhenItsAudienceHoldsOneOfThemAndNoOtherwise() {
		OAuth2TokenValidator<Jwt> validator = audiences(Map.of("vmcp.jwt.audiences", GATEWAY + ",urn:gateway"))
			.validator();
		assertThat(validator.validate(token(List.of("https://other.example.com", "urn:gateway"))).hasErrors())
			.isFalse();
		assertThat(validator.validate(token(List.of(GATEWAY))).hasErrors()).isFalse();
		assertThat(validator.validate(token(List.of("https://other.example.com"))).hasErrors()).isTrue();
		assertThat(validator.validate(token(List.of(GATEWAY + "/"))).hasErrors()).isTrue();
		assertThat(validator.validate(token(null)).hasErrors()).isTrue();
	}

	private static TokenAudiences audiences(Map<String, Object> properties) {
		StandardEnvironment environment = environment(properties);
		return TokenAudiences.of(Binder.get(environment).bindOrCreate("vmcp.jwt", JwtProperties.class), environment);
	}

	private static JwtProperties jwtProperties(Map<String, Object> properties) {
		return Binder.get(environment(properties)).bindOrCreate("vmcp.jwt", JwtProperties.class);
	}

	private static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

	private static Jwt token(List<String> audience) {
		Jwt.Builder token = Jwt.withTokenValue("t")
			.header("alg", "RS256")
			.subject("alice")
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(60));
		if (audience != null) {
			token.audience(audience);
		}
		return token.build();
	}

}
