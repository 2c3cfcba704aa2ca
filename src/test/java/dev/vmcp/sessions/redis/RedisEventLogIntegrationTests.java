package dev.vmcp.sessions.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.vmcp.sessions.session.EventLog;
import dev.vmcp.sessions.session.EventLogContract;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.StreamEvent;
import dev.vmcp.sessions.testsupport.RedisServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redis event log against the shared contract, on a real redis-server whose own
 * expiry forgets streams.
 */
class RedisEventLogIntegrationTests extends EventLogContract {

	private static final Duration WINDOW = Duration.ofMillis(800);

	private static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private static StringRedisTemplate template;

	private RedisEventLog log;

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
	void newLog() {
		this.log = new RedisEventLog(template, RedisSessionStore.DEFAULT_KEY_PREFIX, WINDOW, MAX_EVENTS);
	}

	@Override
	protected EventLog log() {
		return this.log;
	}

	@Override
	protected Duration window() {
		return WINDOW;
	}

	@Test
	void eachStreamIsOneRedisStreamInItsSessionsSlotThatRedisExpiresItself() {
		SessionId session = SessionId.generate();
		this.log.append(session, "r1", new StreamEvent(0, "", false)).toCompletableFuture().join();

		String key = "vmcp:session:events:{" + session.value() + "}:r1";
		assertThat(this.log.keyOf(session, "r1")).isEqualTo(key);
		assertThat(template.type(key).code()).isEqualTo("stream");
		assertThat(template.getExpire(key, TimeUnit.MILLISECONDS)).isBetween(1L, WINDOW.toMillis());
	}

}
