package dev.vmcp.sessions.config;

import io.micrometer.observation.ObservationPredicate;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

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

	/**
	 * With tracing on, the probes and scrapes of the actuator make no traces: every pod
	 * gets them every few seconds, and they would bury the traces of clients.
	 */
	@Bean
	@ConditionalOnProperty(TracingDefaultsEnvironmentPostProcessor.OTLP_ENDPOINT)
	ObservationPredicate noActuatorObservations() {
		return (name, context) -> !(context instanceof ServerRequestObservationContext request
				&& request.getCarrier().getRequestURI().startsWith("/actuator/"));
	}

}
