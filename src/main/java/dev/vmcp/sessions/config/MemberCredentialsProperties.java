package dev.vmcp.sessions.config;

import java.time.Duration;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How members' own tokens are kept, under {@code vmcp.member-credentials}.
 *
 * @param renewBefore how long before its expiry a member's token is renewed (and
 * forgotten): a request never goes out with a token about to expire on its way
 * @param capacity most members' tokens kept per pod (least recently used out first): with
 * token exchange, one per caller and member
 */
@ConfigurationProperties("vmcp.member-credentials")
@Validated
public record MemberCredentialsProperties(@DefaultValue("30s") Duration renewBefore,
		@DefaultValue("10000") @Positive long capacity) {

}
