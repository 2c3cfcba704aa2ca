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
 */
@ConfigurationProperties("vmcp.session")
@Validated
public record SessionProperties(@DefaultValue("memory") StoreType store, @DefaultValue("30m") Duration ttl,
		@DefaultValue("24h") Duration maxLifetime, @DefaultValue("10m") Duration tombstoneTtl,
		@DefaultValue("vmcp:session:") @NotBlank @Pattern(regexp = "[^{}]*",
				message = "must not contain braces: the service adds the hash tag {<id>} itself") String keyPrefix,
		@Nullable String bindingSecret, @DefaultValue("16KB") DataSize metadataMaxSize,
		@DefaultValue("5s") Duration backendRetryInterval, @DefaultValue @Valid Cache cache,
		@DefaultValue @Valid Redis redis) {

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
