package dev.vmcp.sessions.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.session.QuotaDecision;
import dev.vmcp.sessions.session.SessionMetrics;
import dev.vmcp.sessions.session.SessionQuota;
import dev.vmcp.sessions.session.SessionQuotaContract;
import dev.vmcp.sessions.session.SessionRecord;
import dev.vmcp.sessions.session.SessionStore;
import dev.vmcp.sessions.session.SessionTtl;
import dev.vmcp.sessions.session.StoreUnavailableException;
import dev.vmcp.sessions.session.TimedCalls;
import dev.vmcp.sessions.testsupport.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The Redis quota against the shared contract, on a real redis-server with real expiry.
 */
class RedisSessionQuotaIntegrationTests extends SessionQuotaContract {

	private static final Duration IDLE = Duration.ofMillis(1000);

	private static final SessionTtl TTL = new SessionTtl(IDLE, Duration.ofSeconds(5), Clock.systemUTC());

	private static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate template;

	private static final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();

	private RedisSessionStore store;

	private RedisSessionQuota quota;

	@BeforeAll
	static void startRedis() {
		redis = RedisServerProcess.start();
		connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		template = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void stopRedis() {
		connectionFactory.destroy();
		redis.close();
		deadlines.shutdownNow();
	}

	@BeforeEach
	void newQuota() {
		this.store = new RedisSessionStore(template, JsonMapper.builder().build(), TTL,
				RedisSessionStore.DEFAULT_KEY_PREFIX);
		this.quota = quota(this.store, template, TimeLimiter.of(Duration.ofSeconds(2)));
	}

	static RedisSessionQuota quota(RedisSessionStore store, StringRedisTemplate redisTemplate, TimeLimiter limiter) {
		return new RedisSessionQuota(redisTemplate, store, TTL, RedisSessionStore.DEFAULT_KEY_PREFIX, LIMIT, limiter,
				new TimedCalls(deadlines, new SessionMetrics(new SimpleMeterRegistry())));
	}

	@Override
	protected SessionQuota quota() {
		return this.quota;
	}

	@Override
	protected SessionStore store() {
		return this.store;
	}

	@Override
	protected Duration idleTtl() {
		return IDLE;
	}

	@Test
	void theCallersIndexIsOneSortedSetWithAHashTagThatExpiresWithItsLongestLivedSession() {
		List<SessionRecord> created = fill(this.owner);
		String key = this.quota.indexKeyOf(this.owner);
		assertThat(key).isEqualTo("vmcp:session:caller:{" + this.owner + "}");
		assertThat(template.opsForZSet().range(key, 0, -1))
			.containsExactlyInAnyOrderElementsOf(created.stream().map((session) -> session.id().value()).toList());
		// The sessions may live an hour at most (see pending()); so may the index.
		assertThat(template.getExpire(key, TimeUnit.MILLISECONDS)).isBetween(Duration.ofMinutes(59).toMillis(),
				Duration.ofHours(1).toMillis());
	}

	@Test
	void theReleaseRemovesTheSessionFromTheIndex() {
		List<SessionRecord> created = fill(this.owner);
		this.quota.release(this.owner, created.get(0).id());
		assertThat(template.opsForZSet().size(this.quota.indexKeyOf(this.owner))).isEqualTo(LIMIT - 1);
	}

	@Test
	void aReservationRedisDoesNotAnswerInTimeIsUnavailableNotRefused() {
		fill(this.owner);
		RedisSessionQuota impatient = quota(this.store, template, TimeLimiter.of(Duration.ofMillis(200)));
		redis.pause();
		try {
			assertThatExceptionOfType(StoreUnavailableException.class)
				.isThrownBy(() -> impatient.reserve(pending(this.owner)));
		}
		finally {
			redis.resume();
		}
		assertThat(this.quota.reserve(pending(this.owner))).isInstanceOf(QuotaDecision.Full.class);
	}

}
