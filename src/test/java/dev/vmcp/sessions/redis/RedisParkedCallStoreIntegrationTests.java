package dev.vmcp.sessions.redis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.vmcp.sessions.session.ParkedCallStore;
import dev.vmcp.sessions.session.ParkedCallStoreContract;
import dev.vmcp.sessions.testsupport.RedisServerProcess;

/**
 * The Redis store of parked calls against the shared contract, on a real redis-server
 * with real expiry.
 */
class RedisParkedCallStoreIntegrationTests extends ParkedCallStoreContract {

	private static RedisServerProcess redis;

	private static LettuceConnectionFactory connectionFactory;

	private static RedisParkedCallStore store;

	@BeforeAll
	static void startRedis() {
		redis = RedisServerProcess.start();
		connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		store = new RedisParkedCallStore(new StringRedisTemplate(connectionFactory), "vmcp:session:");
	}

	@AfterAll
	static void stopRedis() {
		connectionFactory.destroy();
		redis.close();
	}

	@Override
	protected ParkedCallStore store() {
		return store;
	}

}
