package dev.vmcp.sessions.config;

import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;

/**
 * The audiences a token must name one of in JWT mode, so that a token issued for another
 * service is no key to this gateway.
 * <p>
 * They come from Spring Boot's {@value #BOOT_PROPERTY} when it is set, else from
 * {@value #OWN_PROPERTY}. Boot's list wins when both are set because Boot checks it in
 * any case: a token must then name one of Boot's audiences, whatever the other list says.
 *
 * @param accepted the audiences, in the order configured
 */
record TokenAudiences(List<String> accepted) {

	static final String BOOT_PROPERTY = "spring.security.oauth2.resourceserver.jwt.audiences";

	static final String OWN_PROPERTY = "vmcp.jwt.audiences";

	private static final Logger logger = LoggerFactory.getLogger(TokenAudiences.class);

	/** The audiences that {@code environment} configures. */
	static TokenAudiences of(JwtProperties properties, Environment environment) {
		List<String> boots = Binder.get(environment)
			.bind(BOOT_PROPERTY, Bindable.listOf(String.class))
			.orElse(List.of())
			.stream()
			.filter((audience) -> !audience.isBlank())
			.toList();
		if (boots.isEmpty()) {
			return new TokenAudiences(properties.audiences());
		}
		if (!properties.audiences().isEmpty() && !properties.audiences().equals(boots)) {
			logger.warn("Both {} and {} are set: a token must name one of {} ({}); {} is not used", BOOT_PROPERTY,
					OWN_PROPERTY, boots, BOOT_PROPERTY, OWN_PROPERTY);
		}
		return new TokenAudiences(boots);
	}

	/**
	 * Refuses to run JWT mode without an audience.
	 * @throws IllegalStateException when none is configured
	 */
	void requireConfigured() {
		if (this.accepted.isEmpty()) {
			throw new IllegalStateException("JWT mode needs the audience a token must be issued for: set "
					+ OWN_PROPERTY + " (or " + BOOT_PROPERTY + ") to the public URL of /mcp, "
					+ "e.g. https://gateway.example.com/mcp; without it any token of the issuer, "
					+ "whichever service it was meant for, would be accepted here");
		}
	}

	/**
	 * The resource this gateway is, as the protected resource metadata (RFC 9728) names
	 * it: the first audience, the one an authorization server issues tokens for.
	 */
	Optional<String> resource() {
		return this.accepted.stream().findFirst();
	}

	/** Passes a token whose {@code aud} holds one of the audiences, and no other. */
	OAuth2TokenValidator<Jwt> validator() {
		List<String> audiences = this.accepted;
		return new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
				(aud) -> aud != null && !Collections.disjoint(aud, audiences));
	}

}
