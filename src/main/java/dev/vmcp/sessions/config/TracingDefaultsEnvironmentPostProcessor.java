package dev.vmcp.sessions.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Leaves tracing out unless traces have somewhere to go: without {@value #OTLP_ENDPOINT},
 * Spring Boot's tracing auto-configuration is excluded, so that no request pays for spans
 * nobody receives (the tracer is a no-op, no observation handler makes spans, no
 * {@code traceparent} is sent to members). With it, Spring Boot's OpenTelemetry tracing
 * runs as Spring Boot configures it.
 * <p>
 * Runs after the other defaults ({@link Ordered#LOWEST_PRECEDENCE}, and listed after
 * them): its exclusions join whatever {@code spring.autoconfigure.exclude} holds by then,
 * the operator's included.
 */
class TracingDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** The property that turns tracing on: where spans are sent (OTLP over HTTP). */
	static final String OTLP_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	private static final String SOURCE_NAME = "vmcpTracingDefaults";

	static final List<String> TRACING_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (StringUtils.hasText(environment.getProperty(OTLP_ENDPOINT))) {
			return;
		}
		Set<String> excluded = new LinkedHashSet<>(
				Binder.get(environment).bind(EXCLUDE, Bindable.listOf(String.class)).orElse(List.of()));
		excluded.addAll(TRACING_AUTO_CONFIGURATIONS);
		// First, holding what was in effect: nobody's exclusion is lost.
		environment.getPropertySources()
			.addFirst(new MapPropertySource(SOURCE_NAME, Map.of(EXCLUDE, String.join(",", excluded))));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
