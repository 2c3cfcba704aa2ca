package dev.vmcp.sessions.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import dev.vmcp.sessions.VmcpSessionsApplication;

/**
 * One instance of the service (a "pod") on a free port, in this JVM, reached over real
 * HTTP. Several pods can run side by side against one Redis.
 */
public final class TestPod implements AutoCloseable {

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	private static final String AUTHORIZATION_SERVER_AUTO_CONFIGURATION = String.join(",",
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration");

	private final ConfigurableApplicationContext context;

	private final HttpApi http;

	private TestPod(ConfigurableApplicationContext context) {
		this.context = context;
		this.http = new HttpApi(port());
	}

	/** A pod with the given properties on top of the defaults. */
	public static TestPod start(Map<String, ?> properties) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("server.port", 0);
		all.put("spring.main.banner-mode", "off");
		all.put("logging.level.root", "warn");
		all.putAll(properties);
		// Command-line arguments, so that they win over application.yml as deployment
		// settings do.
		String[] arguments = all.entrySet()
			.stream()
			.map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(VmcpSessionsApplication.class)
			.listeners(TestPod::excludeAuthorizationServer)
			.run(arguments);
		return new TestPod(context);
	}

	/**
	 * The tests' own authorization server is on the test class path: a pod is none. Added
	 * to the exclusions already made (the service's own, for Redis with the memory
	 * store), once they are made.
	 */
	private static void excludeAuthorizationServer(ApplicationEvent event) {
		if (!(event instanceof ApplicationEnvironmentPreparedEvent prepared)) {
			return;
		}
		ConfigurableEnvironment environment = prepared.getEnvironment();
		String excluded = environment.getProperty(EXCLUDE, "");
		environment.getPropertySources()
			.addFirst(new MapPropertySource("testPodExclusions",
					Map.of(EXCLUDE, excluded.isBlank() ? AUTHORIZATION_SERVER_AUTO_CONFIGURATION
							: excluded + "," + AUTHORIZATION_SERVER_AUTO_CONFIGURATION)));
	}

	/** Properties of a pod on the Redis store at {@code redisPort}. */
	public static Map<String, Object> redisProperties(int redisPort) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("vmcp.session.store", "redis");
		properties.put("vmcp.session.binding-secret", "test-binding-secret");
		properties.put("spring.data.redis.host", "127.0.0.1");
		properties.put("spring.data.redis.port", redisPort);
		return properties;
	}

	/**
	 * Adds a member to {@code properties}, after those it names already:
	 * {@code vmcp.backends[i].name} and {@code .url}.
	 */
	public static Map<String, Object> addMember(Map<String, Object> properties, String name, Object url) {
		int index = 0;
		while (properties.containsKey("vmcp.backends[" + index + "].name")) {
			index++;
		}
		properties.put("vmcp.backends[" + index + "].name", name);
		properties.put("vmcp.backends[" + index + "].url", url.toString());
		return properties;
	}

	public int port() {
		return Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port"));
	}

	public HttpApi http() {
		return this.http;
	}

	/**
	 * A client of the pod's management port: the pod must have been started with a
	 * {@code management.server.port} of its own ({@code 0} for a free one).
	 */
	public HttpApi management() {
		String port = this.context.getEnvironment().getProperty("local.management.port");
		if (port == null) {
			throw new IllegalStateException("This pod serves the actuator on its API port; "
					+ "start it with management.server.port to give it a port of its own");
		}
		return new HttpApi(Integer.parseInt(port));
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** Whether the pod has a bean of that type. */
	public boolean hasBean(Class<?> type) {
		return this.context.getBeanProvider(type).stream().findAny().isPresent();
	}

	public Object bean(String name) {
		return this.context.getBean(name);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
