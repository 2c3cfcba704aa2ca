package dev.vmcp.sessions.config;

import java.time.Duration;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How verified bearer tokens are remembered in JWT mode, under {@code vmcp.jwt}.
 *
 * @param rememberVerifiedFor the longest a verified token is accepted again without a new
 * signature check (never past its own expiry): a revoked signing key stops being honoured
 * at most this long after the key set no longer holds it; {@code 0s} checks every request
 * @param rememberedTokens most verified tokens remembered per pod
 */
@ConfigurationProperties("vmcp.jwt")
@Validated
public record JwtProperties(@DefaultValue("60s") Duration rememberVerifiedFor,
		@DefaultValue("10000") @Positive long rememberedTokens) {

}
