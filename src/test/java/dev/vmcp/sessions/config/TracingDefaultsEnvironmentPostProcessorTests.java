package dev.vmcp.sessions.config;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing stays out without an endpoint, and its exclusions join whatever was excluded
 * before: the operator's, in either form, and the store's defaults.
 */
class TracingDefaultsEnvironmentPostProcessorTests {

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	@Test
	void withoutAnEndpointTracingIsExcludedBesideTheStoreDefaults() {
		StandardEnvironment environment = new StandardEnvironment();
		new StoreDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
		new TracingDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

		assertThat(excluded(environment))
			.contains("org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
			.containsAll(TracingDefaultsEnvironmentPostProcessor.TRACING_AUTO_CONFIGURATIONS);
	}

	@Test
	void anOperatorsExclusionsAreKept() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("operator",
					Map.of(EXCLUDE + "[0]", "com.example.One", EXCLUDE + "[1]", "com.example.Two")));
		new TracingDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

		assertThat(excluded(environment)).startsWith("com.example.One", "com.example.Two")
			.containsAll(TracingDefaultsEnvironmentPostProcessor.TRACING_AUTO_CONFIGURATIONS);
	}

	@Test
	void anEndpointLeavesTracingIn() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("operator", Map.of(TracingDefaultsEnvironmentPostProcessor.OTLP_ENDPOINT,
					"http://collector:4318/v1/traces", EXCLUDE, "com.example.One")));
		new TracingDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());

		assertThat(excluded(environment)).containsExactly("com.example.One");
	}

	private static List<String> excluded(StandardEnvironment environment) {
		return Binder.get(environment).bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of());
	}

}
