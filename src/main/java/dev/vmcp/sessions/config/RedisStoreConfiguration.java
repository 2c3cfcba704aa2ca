package dev.vmcp.sessions.config;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.Delay;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.audit.AuditProperties;
import dev.vmcp.sessions.redis.RedisParkedCallStore;
import dev.vmcp.sessions.redis.RedisSessionExpiries;
import dev.vmcp.sessions.redis.RedisPodBroadcasts;
import dev.vmcp.sessions.redis.RedisSessionQuota;
import dev.vmcp.sessions.redis.ReplicaAcks;
import dev.vmcp.sessions.redis.RedisSessionStore;
import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.session.SessionEvents;
import dev.vmcp.sessions.session.SessionInvalidations;
import dev.vmcp.sessions.session.SessionMetrics;
import dev.vmcp.sessions.session.SessionService;
import dev.vmcp.sessions.session.SessionTtl;
import dev.vmcp.sessions.session.TimedCalls;
import dev.vmcp.sessions.tracing.Traces;

/**
 * Records in Redis, shared by every pod, and terminations broadcast on a Redis channel.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "vmcp.session.store", havingValue = "redis")
class RedisStoreConfiguration {

	/**
	 * Most commands Lettuce holds at once, waiting for Redis to answer; beyond it a call
	 * fails at once (503) instead of queueing.
	 */
	static final int LETTUCE_REQUEST_QUEUE_SIZE = 4096;

	static final long MAX_RECONNECT_DELAY_MILLIS = 500;

	@Bean
	RedisSessionStore redisSessionStore(StringRedisTemplate redis, JsonMapper jsonMapper, SessionTtl ttl,
			SessionProperties properties) {
		SessionProperties.Redis settings = properties.redis();
		if (settings.terminateReplicas() > 0
				&& redis.getRequiredConnectionFactory() instanceof LettuceConnectionFactory lettuce
				&& lettuce.isClusterAware()) {
			throw new IllegalStateException("vmcp.session.redis.terminate-replicas must be 0 with Redis Cluster: "
					+ "the replica wait is not routed to the master of each key's slot");
		}
		return new RedisSessionStore(redis, jsonMapper, ttl, properties.keyPrefix(),
				new ReplicaAcks(settings.terminateReplicas(), settings.replicaTimeout()));
	}

	/**
	 * Each caller's live sessions counted in Redis, across every pod, each call under the
	 * {@value RedisSessionQuota#TIME_LIMITER} time limiter.
	 */
	@Bean
	RedisSessionQuota redisSessionQuota(StringRedisTemplate redis, RedisSessionStore store, SessionTtl ttl,
			SessionProperties properties, TimeLimiterRegistry timeLimiters,
			ScheduledExecutorService sessionStoreDeadlines, SessionMetrics metrics, Traces traces) {
		return new RedisSessionQuota(redis, store, ttl, properties.keyPrefix(), properties.maxPerCaller(),
				timeLimiters.timeLimiter(RedisSessionQuota.TIME_LIMITER),
				new TimedCalls(sessionStoreDeadlines, metrics, traces));
	}

	/** Calls parked for their clients' answers, where every pod finds them. */
	@Bean
	RedisParkedCallStore redisParkedCallStore(StringRedisTemplate redis, SessionProperties properties) {
		return new RedisParkedCallStore(redis, properties.keyPrefix());
	}

	/** The listener connection every broadcast topic of this pod shares. */
	@Bean
	RedisMessageListenerContainer podBroadcastListener(RedisConnectionFactory connectionFactory) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		// Not a new platform thread per message, as the container's default would start.
		container.setTaskExecutor(new VirtualThreadTaskExecutor("pod-broadcast-"));
		return container;
	}

	@Bean
	RedisPodBroadcasts redisPodBroadcasts(StringRedisTemplate redis, RedisMessageListenerContainer container,
			SessionProperties properties, ExecutorService backendExecutor) {
		return new RedisPodBroadcasts(redis, container, properties.keyPrefix(), backendExecutor);
	}

	/** Terminations announced to every pod, on {@code <prefix>invalidations}. */
	@Bean
	SessionInvalidations redisSessionInvalidations(PodBroadcasts broadcasts) {
		return (id) -> broadcasts.publish(SessionInvalidations.TOPIC, id, "");
	}

	/** Each pod closes what it holds of a session another pod terminated. */
	@Bean
	SmartInitializingSingleton closeLocallyOnInvalidation(PodBroadcasts broadcasts, SessionService sessions) {
		return () -> broadcasts.subscribe(SessionInvalidations.TOPIC, (id, detail) -> sessions.closeLocally(id));
	}

	/** Tells the audit of the sessions Redis let expire, once listening (below). */
	@Bean
	RedisSessionExpiries redisSessionExpiries(RedisSessionStore store, SessionEvents events) {
		return new RedisSessionExpiries(store, events);
	}

	/**
	 * When the audit tells expiries, every pod listens to the expired keys of its
	 * database, on every primary of a Redis Cluster, after making Redis notify them
	 * (unless told not to: where Redis forbids {@code CONFIG}).
	 */
	@Bean
	SmartInitializingSingleton listenToExpiredSessions(AuditProperties audit, RedisSessionExpiries expiries,
			RedisConnectionFactory connectionFactory, RedisMessageListenerContainer container) {
		return () -> {
			if (!audit.tellsExpiries() || !(connectionFactory instanceof LettuceConnectionFactory lettuce)) {
				return;
			}
			boolean configure = audit.expiryEvents().configureRedis();
			if (lettuce.getNativeClient() instanceof RedisClusterClient cluster) {
				expiries.listenOnEveryPrimary(cluster, configure);
				return;
			}
			if (configure) {
				RedisSessionExpiries.enableNotifications(connectionFactory);
			}
			expiries.listen(container, lettuce.getDatabase());
		};
	}

	/**
	 * While Redis is unreachable, commands fail at once instead of queueing in Lettuce,
	 * and while it is slow the commands waiting for it are bounded: the service answers
	 * 503 and nothing grows without bound. Only these options change; Spring Boot's own
	 * (timeouts, SSL bundle, cluster topology refresh) stay.
	 */
	@Bean
	LettuceClientOptionsBuilderCustomizer failFastWhenDisconnected() {
		return (options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.requestQueueSize(LETTUCE_REQUEST_QUEUE_SIZE);
	}

	/**
	 * Reconnect attempts back off only up to {@value #MAX_RECONNECT_DELAY_MILLIS} ms
	 * (Lettuce waits up to 30 s by default), so that the service serves again within a
	 * second or two of Redis returning, however long it was gone.
	 */
	@Bean
	ClientResourcesBuilderCustomizer promptReconnect() {
		return (resources) -> resources.reconnectDelay(Delay.exponential(Duration.ofMillis(10),
				Duration.ofMillis(MAX_RECONNECT_DELAY_MILLIS), 2, TimeUnit.MILLISECONDS));
	}

}
