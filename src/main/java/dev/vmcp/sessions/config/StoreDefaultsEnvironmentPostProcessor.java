package dev.vmcp.sessions.config;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Reports Redis in health only when Redis is the store: with the in-memory store the
 * service does not use Redis, and an unreachable Redis must not make it look down. An
 * explicit {@code management.health.redis.enabled} still wins.
 */
class StoreDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	private static final String SOURCE_NAME = "vmcpStoreDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		boolean redis = "redis".equalsIgnoreCase(environment.getProperty("vmcp.session.store", "memory"));
		environment.getPropertySources()
			.addLast(new MapPropertySource(SOURCE_NAME, Map.of("management.health.redis.enabled", redis)));
	}

}
