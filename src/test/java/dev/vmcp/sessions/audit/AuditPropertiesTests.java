package dev.vmcp.sessions.audit;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;

import dev.vmcp.sessions.audit.AuditProperties.ArgumentsMode;
import dev.vmcp.sessions.audit.AuditProperties.SubjectMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The documented {@code vmcp.audit} properties bind, with the documented defaults, and a
 * value that is none of the documented ones is refused naming the property.
 */
class AuditPropertiesTests {

	@Test
	void theDocumentedValuesBind() {
		AuditProperties audit = binder(
				Map.of("vmcp.audit.enabled", "false", "vmcp.audit.subject", "hashed", "vmcp.audit.arguments", "digest"))
			.bind("vmcp.audit", AuditProperties.class)
			.get();
		assertThat(audit).isEqualTo(
				new AuditProperties(false, SubjectMode.HASHED, ArgumentsMode.DIGEST, AuditProperties.ExpiryEvents.ON));
	}

	@Test
	void expiryEventsBind() {
		AuditProperties audit = binder(Map.of("vmcp.audit.expiry-events.enabled", "false",
				"vmcp.audit.expiry-events.configure-redis", "false"))
			.bind("vmcp.audit", AuditProperties.class)
			.get();
		assertThat(audit.expiryEvents()).isEqualTo(new AuditProperties.ExpiryEvents(false, false));
		assertThat(audit.tellsExpiries()).isFalse();
	}

	@Test
	void defaultsAreTheDocumentedOnes() {
		assertThat(binder(Map.of()).bindOrCreate("vmcp.audit", AuditProperties.class)).isEqualTo(
				new AuditProperties(true, SubjectMode.PLAIN, ArgumentsMode.NONE, AuditProperties.ExpiryEvents.ON));
	}

	@Test
	void anUndocumentedValueIsRefusedNamingTheProperty() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(
					() -> binder(Map.of("vmcp.audit.arguments", "values")).bind("vmcp.audit", AuditProperties.class))
			.withMessageContaining("vmcp.audit.arguments");
	}

	private static Binder binder(Map<String, Object> properties) {
		return new Binder(ConfigurationPropertySources.from(new MapPropertySource("test", properties)));
	}

}
