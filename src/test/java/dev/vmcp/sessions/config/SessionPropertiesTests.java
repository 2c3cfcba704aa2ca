package dev.vmcp.sessions.config;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented property names bind, and the defaults are the documented ones.
 */
class SessionPropertiesTests {

	@Test
	void sampleYamlBindsEveryProperty() throws IOException {
		Binder binder = binderFor("sample-config.yml");
		SessionProperties session = binder.bind("vmcp.session", SessionProperties.class).get();
		assertThat(session.store()).isEqualTo(SessionProperties.StoreType.REDIS);
		assertThat(session.ttl()).isEqualTo(Duration.ofMinutes(10));
		assertThat(session.maxLifetime()).isEqualTo(Duration.ofHours(8));
		assertThat(session.tombstoneTtl()).isEqualTo(Duration.ofMinutes(2));
		assertThat(session.keyPrefix()).isEqualTo("gw:session:");
		assertThat(session.bindingSecret()).isEqualTo("change-me");
		assertThat(session.metadataMaxSize()).isEqualTo(DataSize.ofKilobytes(8));
		assertThat(session.backendRetryInterval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(session.cache().capacity()).isEqualTo(500);
		assertThat(session.redis().terminateReplicas()).isEqualTo(1);
		assertThat(session.redis().replicaTimeout()).isEqualTo(Duration.ofMillis(250));
		assertThat(session.maxPerCaller()).isEqualTo(25);
		assertThat(session.createRate()).isEqualTo(new SessionProperties.CreateRate(0.5, 3));
		assertThat(session.quotaExemptAdmin()).isTrue();
		BackendProperties backends = binder.bind("vmcp", BackendProperties.class).get();
		assertThat(backends.backends()).hasSize(2);
		BackendProperties.Backend github = backends.backends().get(0);
		assertThat(github.name()).isEqualTo("github");
		assertThat(github.url()).isEqualTo(URI.create("http://github-mcp:8080/mcp"));
		assertThat(github.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(github.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(backends.backends().get(1).requestTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void defaultsAreTheDocumentedOnes() {
		Binder binder = new Binder(ConfigurationPropertySources
			.from(new org.springframework.core.env.MapPropertySource("none", Map.of())));
		SessionProperties session = binder.bindOrCreate("vmcp.session", SessionProperties.class);
		assertThat(session.store()).isEqualTo(SessionProperties.StoreType.MEMORY);
		assertThat(session.ttl()).isEqualTo(Duration.ofMinutes(30));
		assertThat(session.maxLifetime()).isEqualTo(Duration.ofHours(24));
		assertThat(session.keyPrefix()).isEqualTo("vmcp:session:");
		assertThat(session.metadataMaxSize()).isEqualTo(DataSize.ofKilobytes(16));
		assertThat(session.cache().capacity()).isEqualTo(1000);
		assertThat(session.bindingSecret()).isNull();
		assertThat(session.redis().terminateReplicas()).isZero();
		assertThat(session.maxPerCaller()).isEqualTo(100);
		assertThat(session.createRate()).isEqualTo(new SessionProperties.CreateRate(10, 50));
		assertThat(session.quotaExemptAdmin()).isFalse();
		assertThat(binder.bindOrCreate("vmcp", BackendProperties.class).backends()).isEqualTo(List.of());
	}

	private static Binder binderFor(String resource) throws IOException {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load(resource,
				new ClassPathResource(resource));
		StandardEnvironment environment = new StandardEnvironment();
		sources.forEach(environment.getPropertySources()::addFirst);
		return Binder.get(environment);
	}

}
