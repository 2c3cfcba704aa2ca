package dev.vmcp.sessions.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Leaves Redis out when it is not the store: with the in-memory store the service does
 * not use Redis, so its client is not configured at all (no connection factory, no event
 * loops: a faster start), and an unreachable Redis must not make the service look down in
 * health. Explicit {@code management.health.redis.enabled} and
 * {@code spring.autoconfigure.exclude} settings still win.
 */
class StoreDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	private static final String SOURCE_NAME = "vmcpStoreDefaults";

	private static final List<String> REDIS_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean redis = "redis".equalsIgnoreCase(environment.getProperty("vmcp.session.store", "memory"));
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("management.health.redis.enabled", redis);
		if (!redis) {
			defaults.put("spring.autoconfigure.exclude", String.join(",", REDIS_AUTO_CONFIGURATIONS));
		}
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
	}

}
