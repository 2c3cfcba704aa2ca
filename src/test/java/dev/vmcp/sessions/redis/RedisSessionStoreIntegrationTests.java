package dev.vmcp.sessions.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.session.SessionRecord;
import dev.vmcp.sessions.session.SessionStore;
import dev.vmcp.sessions.session.SessionStoreContract;
import dev.vmcp.sessions.session.SessionTtl;
import dev.vmcp.sessions.testsupport.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis store against the shared contract, on a real redis-server with real expiry.
 */
class RedisSessionStoreIntegrationTests extends SessionStoreContract {

	private static final Duration IDLE = Duration.ofMillis(600);

	private static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate template;

	private RedisSessionStore store;

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
	}

	@BeforeEach
	void newStore() {
		this.store = new RedisSessionStore(template, JsonMapper.builder().build(),
				new SessionTtl(IDLE, Duration.ofSeconds(5), Clock.systemUTC()), RedisSessionStore.DEFAULT_KEY_PREFIX);
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
	void eachSessionIsOneKeyWithAHashTagSoThatClusterKeepsItInOneSlot() {
		SessionRecord record = newRecord();
		this.store.create(record);
		assertThat(template.keys("vmcp:session:*")).contains("vmcp:session:{" + record.id().value() + "}");
	}

	@Test
	void redisExpiresTheKeyItselfAtTheIdleTtl() {
		SessionRecord record = newRecord();
		this.store.create(record);
		long ttl = template.getExpire(this.store.keyOf(record.id()), TimeUnit.MILLISECONDS);
		assertThat(ttl).isBetween(1L, IDLE.toMillis());
	}

}
