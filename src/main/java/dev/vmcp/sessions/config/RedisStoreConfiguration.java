package dev.vmcp.sessions.config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.redis.RedisSessionInvalidations;
import dev.vmcp.sessions.redis.RedisSessionStore;
import dev.vmcp.sessions.session.InvalidSessionIdException;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionService;
import dev.vmcp.sessions.session.SessionTtl;

/**
 * Records in Redis, shared by every pod, and terminations broadcast on a Redis channel.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vmcp.session.store", havingValue = "redis")
class RedisStoreConfiguration {

	@Bean
	RedisSessionStore redisSessionStore(StringRedisTemplate redis, JsonMapper jsonMapper, SessionTtl ttl,
			SessionProperties properties) {
		return new RedisSessionStore(redis, jsonMapper, ttl, properties.keyPrefix());
	}

	@Bean
	RedisSessionInvalidations redisSessionInvalidations(StringRedisTemplate redis, SessionProperties properties) {
		return new RedisSessionInvalidations(redis, RedisSessionInvalidations.channelFor(properties.keyPrefix()));
	}

	@Bean
	RedisMessageListenerContainer sessionInvalidationListener(RedisConnectionFactory connectionFactory,
			SessionService sessions, SessionProperties properties) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		container.addMessageListener(
				(message, pattern) -> closeLocally(sessions,
						new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8)),
				new ChannelTopic(RedisSessionInvalidations.channelFor(properties.keyPrefix())));
		return container;
	}

	/**
	 * While Redis is unreachable, commands fail at once instead of queueing in Lettuce:
	 * the service answers 503 and nothing grows without bound.
	 */
	@Bean
	LettuceClientConfigurationBuilderCustomizer failFastWhenDisconnected() {
		return (builder) -> builder.clientOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled())
			.build());
	}

	private static void closeLocally(SessionService sessions, String id) {
		try {
			sessions.closeLocally(new SessionId(id));
		}
		catch (InvalidSessionIdException ex) {
			// not one of ours: someone else publishes on the channel; ignore it
		}
	}

}
