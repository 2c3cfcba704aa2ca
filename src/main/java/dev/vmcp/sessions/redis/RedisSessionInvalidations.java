package dev.vmcp.sessions.redis;

import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionInvalidations;

/**
 * Publishes terminated session ids on a Redis channel that every pod subscribes to.
 * <p>
 * Publishing runs in the background: the terminate it announces is already durable, and a
 * slow Redis must not hold the caller's answer for another command timeout. If it fails,
 * the other pods still learn of the terminate at their next request for it.
 */
public final class RedisSessionInvalidations implements SessionInvalidations {

	private static final Logger logger = LoggerFactory.getLogger(RedisSessionInvalidations.class);

	private final StringRedisTemplate redis;

	private final String channel;

	private final Executor executor;

	public RedisSessionInvalidations(StringRedisTemplate redis, String channel, Executor executor) {
		this.redis = redis;
		this.channel = channel;
		this.executor = executor;
	}

	/** The channel for a key prefix. */
	public static String channelFor(String keyPrefix) {
		return keyPrefix + "invalidations";
	}

	@Override
	public void publish(SessionId id) {
		this.executor.execute(() -> {
			try {
				this.redis.convertAndSend(this.channel, id.value());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not announce the termination of session {}: {}", Abbreviated.of(id),
						ex.getMessage());
			}
		});
	}

}
