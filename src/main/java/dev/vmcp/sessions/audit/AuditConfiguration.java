package dev.vmcp.sessions.audit;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the audit trail: request events are written by the front door's request flow,
 * session events by the session lifecycle, which knows the trail as its
 * {@link dev.vmcp.sessions.session.SessionEvents}.
 */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

	@Bean
	AuditTrail auditTrail(AuditProperties properties, Clock clock) {
		return new AuditTrail(properties, new AuditLog(properties.subject(), AuditLog.podName()), clock);
	}

}
