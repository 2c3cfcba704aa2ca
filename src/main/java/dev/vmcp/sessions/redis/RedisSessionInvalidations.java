package dev.vmcp.sessions.redis;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionInvalidations;

/**
 * Publishes terminated session ids on a Redis channel that every pod subscribes to.
 */
public final class RedisSessionInvalidations implements SessionInvalidations {

	private final StringRedisTemplate redis;

	private final String channel;

	public RedisSessionInvalidations(StringRedisTemplate redis, String channel) {
		this.redis = redis;
		this.channel = channel;
	}

	/** The channel for a key prefix. */
	public static String channelFor(String keyPrefix) {
		return keyPrefix + "invalidations";
	}

	@Override
	public void publish(SessionId id) {
		this.redis.convertAndSend(this.channel, id.value());
	}

}
