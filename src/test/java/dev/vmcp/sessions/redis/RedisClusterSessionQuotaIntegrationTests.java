package dev.vmcp.sessions.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
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
import dev.vmcp.sessions.session.TimedCalls;
import dev.vmcp.sessions.testsupport.RedisClusterProcesses;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis quota against the shared contract on a real three-master Redis Cluster, where
 * a caller's index and its sessions' keys live in different slots, mostly on other
 * masters.
 */
class RedisClusterSessionQuotaIntegrationTests extends SessionQuotaContract {

	private static final Duration IDLE = Duration.ofMillis(1000);

	private static final SessionTtl TTL = new SessionTtl(IDLE, Duration.ofSeconds(5), Clock.systemUTC());

	private static RedisClusterProcesses cluster;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate template;

	private static final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();

	private RedisSessionStore store;

	private RedisSessionQuota quota;

	@BeforeAll
	static void startCluster() {
		cluster = RedisClusterProcesses.start(3);
		connectionFactory = new LettuceConnectionFactory(
				new RedisClusterConfiguration(List.of(cluster.nodes().split(","))));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		template = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void stopCluster() {
		connectionFactory.destroy();
		cluster.close();
		deadlines.shutdownNow();
	}

	@BeforeEach
	void newQuota() {
		this.store = new RedisSessionStore(template, JsonMapper.builder().build(), TTL,
				RedisSessionStore.DEFAULT_KEY_PREFIX);
		this.quota = new RedisSessionQuota(template, this.store, TTL, RedisSessionStore.DEFAULT_KEY_PREFIX, LIMIT,
				TimeLimiter.of(Duration.ofSeconds(2)),
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
	void sessionsInOtherSlotsThanTheIndexGiveTheirSlotsBackOnceExpired() {
		List<SessionRecord> created = fill(this.owner);
		int indexSlot = SlotHash.getSlot(this.quota.indexKeyOf(this.owner));
		assertThat(created).extracting((session) -> SlotHash.getSlot(this.store.keyOf(session.id())))
			.anyMatch((slot) -> slot != indexSlot);
		passTime(IDLE.plusMillis(200));
		assertThat(fill(this.owner)).hasSize(LIMIT);
		assertThat(this.quota.reserve(pending(this.owner))).isInstanceOf(QuotaDecision.Full.class);
	}

}
