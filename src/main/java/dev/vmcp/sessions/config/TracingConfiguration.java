package dev.vmcp.sessions.config;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.vmcp.sessions.tracing.Traces;

/**
 * The gateway's spans on Spring Boot's tracer. Without an OTLP endpoint the tracing
 * auto-configuration is left out ({@link TracingDefaultsEnvironmentPostProcessor}), the
 * tracer is a no-op, and so are the spans.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	@Bean
	Traces traces(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new Traces(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
	}

}
