package dev.vmcp.sessions.config;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What a bearer token must be to be accepted in JWT mode, and how verified tokens are
 * remembered, under {@code vmcp.jwt}.
 *
 * @param rememberVerifiedFor the longest a verified token is accepted again without a new
 * signature check (never past its own expiry): a revoked signing key stops being honoured
 * at most this long after the key set no longer holds it; {@code 0s} checks every request
 * @param rememberedTokens most verified tokens remembered per pod
 * @param audiences the audiences ({@code aud}) a token must name one of: tokens issued
 * for another service are refused. Required in JWT mode, here or in
 * {@code spring.security.oauth2.resourceserver.jwt.audiences}; the first is the
 * {@code resource} of the protected resource metadata, so make it the public URL of
 * {@code /mcp}
 * @param requiredScopes the scopes every token must hold on {@code /mcp} and
 * {@code /api/**}; a token without one of them is a 403 that names them all
 */
@ConfigurationProperties("vmcp.jwt")
@Validated
public record JwtProperties(@DefaultValue("60s") Duration rememberVerifiedFor,
		@DefaultValue("10000") @Positive long rememberedTokens, @DefaultValue List<@NotBlank String> audiences,
		@DefaultValue List<@Pattern(regexp = SCOPE_TOKEN,
				message = "must be one OAuth scope: printable ASCII without spaces, quotes or backslashes") String> requiredScopes) {

	/** A {@code scope-token} of RFC 6749, section 3.3. */
	static final String SCOPE_TOKEN = "[\\x21\\x23-\\x5B\\x5D-\\x7E]+";

}
