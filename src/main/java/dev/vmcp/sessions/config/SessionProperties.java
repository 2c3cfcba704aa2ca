package dev.vmcp.sessions.config;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Session settings, under {@code vmcp.session}.
 *
 * @param store where records live: {@code memory} (single pod) or {@code redis}
 * @param ttl sliding idle time to live of a session
 * @param maxLifetime absolute lifetime of a session, whatever its activity
 * @param tombstoneTtl how long a terminated session stays known as terminated
 * @param keyPrefix prefix of Redis keys and of the invalidation channel
 * @param bindingSecret HMAC key for owner bindings; required with the Redis store so that
 * every pod computes the same binding
 * @param metadataMaxSize largest metadata per session (UTF-8 bytes of keys and values)
 * @param backendRetryInterval pause before a failed backend is tried again for a session
 * @param cache the per-pod cache of live sessions
 * @param redis settings of the Redis store
 * @param maxPerCaller live sessions one caller (owner binding) may hold across every pod;
 * one more is a 429 until one ends. In anonymous mode every client is the one caller
 * {@code anonymous}, so this is the limit of the whole service
 * @param createRate how fast one caller may create sessions on one pod
 * @param quotaExemptAdmin whether callers with the administrator scope create sessions
 * without {@code max-per-caller} and {@code create-rate}
 */
@ConfigurationProperties("vmcp.session")
@Validated
public record SessionProperties(@DefaultValue("memory") StoreType store, @DefaultValue("30m") Duration ttl,
		@DefaultValue("24h") Duration maxLifetime, @DefaultValue("10m") Duration tombstoneTtl,
		@DefaultValue("vmcp:session:") @NotBlank @Pattern(regexp = "[^{}]*",
				message = "must not contain braces: the service adds the hash tag {<id>} itself") String keyPrefix,
		@Nullable String bindingSecret, @DefaultValue("16KB") DataSize metadataMaxSize,
		@DefaultValue("5s") Duration backendRetryInterval, @DefaultValue @Valid Cache cache,
		@DefaultValue @Valid Redis redis, @DefaultValue("100") @Positive int maxPerCaller,
		@DefaultValue @Valid CreateRate createRate, @DefaultValue("false") boolean quotaExemptAdmin) {

	/** Where session records live. */
	public enum StoreType {

		/** In this pod's memory: one pod only. */
		MEMORY,

		/** In Redis, shared by every pod. */
		REDIS

	}

	/**
	 * The per-pod cache of live sessions.
	 *
	 * @param capacity most live sessions (open backend connections) held by one pod
	 */
	public record Cache(@DefaultValue("1000") @Positive long capacity) {

	}

	/**
	 * How fast one caller may create sessions on one pod: a token bucket per caller.
	 * Beyond it a creation is a 429. Per pod: behind a balancer spreading a caller over
	 * {@code n} pods, the caller may create up to {@code n} times as fast.
	 *
	 * @param perSecond creations per second a caller may sustain
	 * @param burst creations a caller may make at once after a pause
	 */
	public record CreateRate(@DefaultValue("10") @Positive double perSecond, @DefaultValue("50") @Positive int burst) {

	}

	/**
	 * Settings of the Redis store.
	 *
	 * @param terminateReplicas replicas that must hold a termination before it is
	 * acknowledged, so that a failover cannot bring the session back; 0 acknowledges once
	 * the primary has it
	 * @param replicaTimeout longest wait for those replicas; past it the terminate
	 * answers 503 and may be retried
	 */
	public record Redis(@DefaultValue("0") @PositiveOrZero int terminateReplicas,
			@DefaultValue("500ms") Duration replicaTimeout) {

	}

}
