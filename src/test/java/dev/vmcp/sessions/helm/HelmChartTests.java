package dev.vmcp.sessions.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ByteArrayResource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.audit.AuditProperties;
import dev.vmcp.sessions.backend.MemberAuth;
import dev.vmcp.sessions.config.BackendProperties;
import dev.vmcp.sessions.config.JwtProperties;
import dev.vmcp.sessions.config.SessionProperties;
import dev.vmcp.sessions.policy.PolicyProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/**
 * The Helm chart in {@code helm/vmcp-sessions}: it lints, its values are documented and
 * validated, and it renders what a production deployment needs for each store and Redis
 * topology. Rendering runs the Helm library in process (helm-java); no cluster is needed.
 */
class HelmChartTests {

	private static final Path CHART = Path.of("helm", "vmcp-sessions");

	private static final Path VALUES = Path.of("src", "test", "resources", "helm");

	private static final String RELEASE = "gw";

	private static final String FULLNAME = "gw-vmcp-sessions";

	/**
	 * The embedded Helm library defaults to Kubernetes 1.20 when rendering without a
	 * cluster (the Helm CLI defaults to its client-go version); the chart needs 1.25 or
	 * newer.
	 */
	private static final String KUBE_VERSION = "1.33.0";

	@Test
	void chartLintsStrictlyWithItsDefaults() {
		LintResult result = new Helm(CHART).lint().strict().call();
		assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
		assertThat(result.getMessages()).allMatch((message) -> message.startsWith("[INFO]"));
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "redis-standalone.yaml", "redis-sentinel.yaml", "redis-cluster-tls.yaml", "features.yaml" })
	void chartLintsStrictlyWithEachValuesFile(String valuesFile, @TempDir Path temp) {
		LintResult result = lintWith(temp, readYaml(VALUES.resolve(valuesFile)));
		assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
		assertThat(result.getMessages()).allMatch((message) -> message.startsWith("[INFO]"));
	}

	@Test
	void defaultsRenderOnePodWithTheMemoryStore() {
		Rendered rendered = render();
		assertThat(rendered.kinds()).containsExactlyInAnyOrder("Deployment", "Service", "ServiceAccount", "ConfigMap",
				"PodDisruptionBudget");
		Map<String, Object> deployment = rendered.get("Deployment");
		assertThat(at(deployment, "metadata.name")).isEqualTo(FULLNAME);
		assertThat(at(deployment, "spec.replicas")).isEqualTo(1);
		assertThat(at(deployment, "spec.strategy.type")).isEqualTo("Recreate");
		assertThat(at(container(rendered), "image")).isEqualTo("vmcp-sessions:" + chartYaml().get("appVersion"));
		assertThat(envNames(rendered)).containsExactly("JAVA_TOOL_OPTIONS", "SPRING_CONFIG_ADDITIONAL_LOCATION");
		Map<String, Object> application = rendered.applicationYaml();
		assertThat(at(application, "vmcp.session.store")).isEqualTo("memory");
		assertThat(at(application, "vmcp.session.memory-sweep-interval")).isEqualTo("60s");
		assertThat(at(application, "spring")).asInstanceOf(MAP).doesNotContainKey("data");
		SessionProperties session = binder(rendered).bindOrCreate("vmcp.session", SessionProperties.class);
		assertThat(session.store()).isEqualTo(SessionProperties.StoreType.MEMORY);
		assertThat(session.ttl()).isEqualTo(Duration.ofMinutes(30));
		assertThat(session.maxLifetime()).isEqualTo(Duration.ofHours(24));
		assertThat(session.keyPrefix()).isEqualTo("vmcp:session:");
		assertThat(session.maxPerCaller()).isEqualTo(100);
		assertThat(session.createRate()).isEqualTo(new SessionProperties.CreateRate(10, 50));
		assertThat(session.quotaExemptAdmin()).isFalse();
		assertThat(binder(rendered).bindOrCreate("vmcp.audit", AuditProperties.class))
			.isEqualTo(new AuditProperties(true, AuditProperties.SubjectMode.PLAIN, AuditProperties.ArgumentsMode.NONE,
					AuditProperties.ExpiryEvents.ON));
		assertThat(binder(rendered)
			.bind("resilience4j.timelimiter.instances.session-quota.timeout-duration", Duration.class)
			.get()).isEqualTo(Duration.ofSeconds(3));
		assertThat(binder(rendered).bind("vmcp.mcp.input-wait", Duration.class).get()).isEqualTo(Duration.ofMinutes(5));
		assertThat(
				binder(rendered).bind("resilience4j.timelimiter.instances.parked-call.timeout-duration", Duration.class)
					.get())
			.isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void chartMetadataNamesTheChartAndItsVersions() {
		assertThat(chartYaml()).contains(entry("apiVersion", "v2"), entry("name", "vmcp-sessions"),
				entry("version", "0.1.0"), entry("appVersion", "0.1.0"));
		assertThat(at(container(render("image.tag", "1.2.3")), "image")).isEqualTo("vmcp-sessions:1.2.3");
		String digest = "sha256:" + "a".repeat(64);
		assertThat(at(container(render("image.repository", "registry.example/vmcp", "image.digest", digest)), "image"))
			.isEqualTo("registry.example/vmcp@" + digest);
	}

	@Test
	void podsRunAsNonRootOnAReadOnlyFileSystemWithAWritableTmp() {
		Rendered rendered = render();
		Map<String, Object> pod = pod(rendered);
		assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat(at(pod, "securityContext.runAsUser")).isEqualTo(10001);
		assertThat(at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
		assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
		assertThat(at(pod, "enableServiceLinks")).isEqualTo(false);
		assertThat(at(pod, "serviceAccountName")).isEqualTo(FULLNAME);
		assertThat(at(rendered.get("ServiceAccount"), "automountServiceAccountToken")).isEqualTo(false);
		Map<String, Object> container = container(rendered);
		assertThat(at(container, "securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat(at(container, "securityContext.runAsUser")).isEqualTo(10001);
		assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
		assertThat(at(container, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
		assertThat(at(container, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
		assertThat(named(list(container, "volumeMounts"), "tmp")).containsEntry("mountPath", "/tmp");
		assertThat(named(list(pod, "volumes"), "tmp")).containsKey("emptyDir");
		assertThat(at(container, "resources.requests")).asInstanceOf(MAP).containsKeys("cpu", "memory");
		assertThat(at(container, "resources.limits.memory")).isEqualTo(at(container, "resources.requests.memory"));
	}

	@Test
	void probesUseTheActuatorHealthGroupsOnTheManagementPort() {
		Rendered rendered = render();
		Map<String, Object> container = container(rendered);
		assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
		assertThat(Stream.of("startupProbe", "livenessProbe", "readinessProbe")
			.map((probe) -> at(container, probe + ".httpGet.port"))).containsOnly("management");
		assertThat(list(container, "ports")).containsExactly(
				Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"),
				Map.of("name", "management", "containerPort", 9090, "protocol", "TCP"));
		assertThat(at(rendered.applicationYaml(), "server.port")).isEqualTo(8080);
		assertThat(binder(rendered).bind("management.server.port", Integer.class).get()).isEqualTo(9090);
	}

	@Test
	void theClientFacingServiceExposesTheApiPortAlone() {
		for (Rendered rendered : List.of(render(), renderFile("features.yaml"))) {
			Map<String, Object> service = rendered.get("Service", FULLNAME);
			assertThat(list(service, "spec.ports"))
				.containsExactly(Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"));
			assertThat(at(service, "spec.selector"))
				.isEqualTo(at(rendered.get("Deployment"), "spec.selector.matchLabels"));
		}
		assertThat(render().all("Service")).as("no management Service without a ServiceMonitor").hasSize(1);
		Rendered moved = render("containerPort", "8000", "managementPort", "8001");
		assertThat(named(list(container(moved), "ports"), "management")).containsEntry("containerPort", 8001);
		assertThat(binder(moved).bind("management.server.port", Integer.class).get()).isEqualTo(8001);
		assertThat(binder(moved).bind("server.port", Integer.class).get()).isEqualTo(8000);
	}

	@Test
	void theServiceMonitorScrapesTheManagementPortThroughAServiceNoIngressUses() {
		Rendered rendered = renderFile("features.yaml");
		Map<String, Object> monitor = rendered.get("ServiceMonitor");
		assertThat(list(monitor, "spec.endpoints")).singleElement()
			.satisfies((endpoint) -> assertThat(endpoint).containsEntry("port", "management")
				.containsEntry("path", "/actuator/prometheus"));
		Map<String, Object> managementService = rendered.get("Service", FULLNAME + "-management");
		assertThat(at(managementService, "spec.clusterIP")).isEqualTo("None");
		assertThat(list(managementService, "spec.ports"))
			.containsExactly(Map.of("name", "management", "port", 9090, "targetPort", "management", "protocol", "TCP"));
		assertThat(at(managementService, "spec.selector"))
			.isEqualTo(at(rendered.get("Deployment"), "spec.selector.matchLabels"));
		Map<String, Object> selector = asMap(at(monitor, "spec.selector.matchLabels"));
		assertThat(rendered.all("Service"))
			.filteredOn((service) -> labels(service).entrySet().containsAll(selector.entrySet()))
			.containsExactly(managementService);
		assertThat(at(first(list(rendered.get("Ingress"), "spec.rules")), "http.paths")).asInstanceOf(LIST)
			.allSatisfy((path) -> assertThat(at(path, "backend.service"))
				.isEqualTo(Map.of("name", FULLNAME, "port", Map.of("name", "http"))));
		Map<String, Object> truncated = render("fullnameOverride", "x".repeat(63), "serviceMonitor.enabled", "true")
			.get("Service", "x".repeat(52) + "-management");
		assertThat((String) at(truncated, "metadata.name")).hasSizeLessThanOrEqualTo(63);
	}

	@Test
	void theNetworkPolicyOpensTheManagementPortToTheNamedNamespacesAlone() {
		Map<String, Object> policy = renderFile("features.yaml").get("NetworkPolicy");
		List<Map<String, Object>> rules = list(policy, "spec.ingress");
		assertThat(rules).hasSize(2);
		Map<String, Object> api = rules.get(0);
		assertThat(list(api, "ports")).containsExactly(Map.of("port", "http", "protocol", "TCP"));
		assertThat(list(api, "from")).containsExactly(
				Map.of("podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "mcp-gateway"))));
		Map<String, Object> management = rules.get(1);
		assertThat(list(management, "ports")).containsExactly(Map.of("port", "management", "protocol", "TCP"));
		assertThat(list(management, "from")).containsExactly(
				Map.of("namespaceSelector",
						Map.of("matchExpressions",
								List.of(Map.of("key", "kubernetes.io/metadata.name", "operator", "In", "values",
										List.of("monitoring"))))),
				Map.of("namespaceSelector", Map.of("matchLabels", Map.of("team", "observability")), "podSelector",
						Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus"))));

		// allowExternal opens the API port to everyone, never the management port:
		// with no namespace named, only the kubelet's probes reach it.
		Map<String, Object> open = render("networkPolicy.enabled", "true").get("NetworkPolicy");
		assertThat(list(open, "spec.ingress"))
			.containsExactly(Map.of("ports", List.of(Map.of("port", "http", "protocol", "TCP"))));
		Map<String, Object> named = render("networkPolicy.enabled", "true", "networkPolicy.management.namespaces[0]",
				"monitoring")
			.get("NetworkPolicy");
		assertThat(list(named, "spec.ingress")).hasSize(2)
			.last()
			.satisfies((rule) -> assertThat(list(rule, "from")).hasSize(1));
	}

	@Test
	void podsOutliveThePreStopPauseAndTheGracefulDrain() {
		Rendered rendered = render();
		Map<String, Object> application = rendered.applicationYaml();
		assertThat(at(application, "server.shutdown")).isEqualTo("graceful");
		Duration drain = DurationStyle
			.detectAndParse((String) at(application, "spring.lifecycle.timeout-per-shutdown-phase"));
		assertThat(drain).isEqualTo(Duration.ofSeconds(30));
		int preStopSleep = (int) at(container(rendered), "lifecycle.preStop.sleep.seconds");
		assertThat(preStopSleep).isPositive();
		int grace = (int) at(pod(rendered), "terminationGracePeriodSeconds");
		assertThat(grace).isEqualTo(45);
		assertThat(Duration.ofSeconds(grace)).isGreaterThan(drain.plusSeconds(preStopSleep));
	}

	@Test
	void preStopRunsASleepCommandBeforeKubernetes130() {
		Rendered rendered = render(template().withKubeVersion("1.29.0"));
		assertThat(at(container(rendered), "lifecycle.preStop.exec.command")).isEqualTo(List.of("sleep", "5"));
	}

	@Test
	void jvmHeapFollowsTheMemoryLimitAndConfigurationComesFromTheMountedConfigMap() {
		Rendered rendered = render();
		assertThat(env(rendered, "JAVA_TOOL_OPTIONS")).containsEntry("value",
				"-XX:InitialRAMPercentage=75 -XX:MaxRAMPercentage=75");
		Map<String, Object> config = named(list(pod(rendered), "volumes"), "config");
		assertThat(at(config, "configMap.name")).isEqualTo(at(rendered.get("ConfigMap"), "metadata.name"));
		String mountPath = (String) named(list(container(rendered), "volumeMounts"), "config").get("mountPath");
		assertThat(env(rendered, "SPRING_CONFIG_ADDITIONAL_LOCATION")).containsEntry("value",
				"file:" + mountPath + "/application.yaml");
		Rendered tuned = render("jvm.maxRamPercentage", "60", "jvm.extraOptions", "-XX:+ExitOnOutOfMemoryError");
		assertThat(env(tuned, "JAVA_TOOL_OPTIONS")).containsEntry("value",
				"-XX:InitialRAMPercentage=60 -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError");
	}

	@Test
	void podsSpreadAcrossNodesAndZonesWithoutBlockingScheduling() {
		Map<String, Object> pod = pod(render("store", "redis", "redis.host", "redis"));
		Map<String, Object> antiAffinity = first(
				list(pod, "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution"));
		assertThat(at(antiAffinity, "podAffinityTerm.topologyKey")).isEqualTo("kubernetes.io/hostname");
		assertThat(at(antiAffinity, "podAffinityTerm.labelSelector.matchLabels")).isEqualTo(selectorLabels());
		assertThat(at(pod, "affinity.podAntiAffinity")).asInstanceOf(MAP)
			.doesNotContainKey("requiredDuringSchedulingIgnoredDuringExecution");
		Map<String, Object> spread = first(list(pod, "topologySpreadConstraints"));
		assertThat(spread).containsEntry("topologyKey", "topology.kubernetes.io/zone")
			.containsEntry("whenUnsatisfiable", "ScheduleAnyway");
	}

	@Test
	void podDisruptionBudgetLetsOnePodGoAtATimeUnlessMinAvailableIsSet() {
		Map<String, Object> budget = render().get("PodDisruptionBudget");
		assertThat(at(budget, "spec")).asInstanceOf(MAP)
			.containsEntry("maxUnavailable", 1)
			.doesNotContainKey("minAvailable");
		assertThat(at(budget, "spec.selector.matchLabels")).isEqualTo(selectorLabels());
		Map<String, Object> minAvailable = render("store", "redis", "redis.host", "redis",
				"podDisruptionBudget.minAvailable", "1")
			.get("PodDisruptionBudget");
		assertThat(at(minAvailable, "spec")).asInstanceOf(MAP)
			.containsEntry("minAvailable", 1)
			.doesNotContainKey("maxUnavailable");
	}

	@Test
	void redisStandaloneTakesEverySecretFromExistingSecrets() {
		Rendered rendered = renderFile("redis-standalone.yaml");
		assertThat(rendered.kinds()).doesNotContain("Secret");
		assertThat(at(rendered.get("Deployment"), "spec.replicas")).isEqualTo(2);
		assertThat(at(rendered.get("Deployment"), "spec.strategy.rollingUpdate.maxUnavailable")).isEqualTo(0);
		assertThat(secretRef(rendered, "SPRING_DATA_REDIS_PASSWORD")).containsExactly("redis-credentials", "password");
		assertThat(secretRef(rendered, "VMCP_SESSION_BINDING_SECRET")).containsExactly("vmcp-binding", "hmac-key");
		assertThat(envNames(rendered)).doesNotContain("SPRING_DATA_REDIS_SENTINEL_PASSWORD");
		Map<String, Object> redis = asMap(at(rendered.applicationYaml(), "spring.data.redis"));
		assertThat(redis).containsEntry("host", "redis.data.svc.cluster.local")
			.containsEntry("port", 6380)
			.containsEntry("database", 2)
			.containsEntry("username", "vmcp")
			.containsEntry("ssl", Map.of("enabled", false))
			.doesNotContainKeys("sentinel", "cluster", "password");
		Binder binder = binder(rendered);
		DataRedisProperties properties = binder.bindOrCreate("spring.data.redis", DataRedisProperties.class);
		assertThat(properties.getHost()).isEqualTo("redis.data.svc.cluster.local");
		assertThat(properties.getPort()).isEqualTo(6380);
		assertThat(properties.getDatabase()).isEqualTo(2);
		assertThat(properties.getUsername()).isEqualTo("vmcp");
		assertThat(properties.getTimeout()).isEqualTo(Duration.ofSeconds(5));
		SessionProperties session = binder.bindOrCreate("vmcp.session", SessionProperties.class);
		assertThat(session.store()).isEqualTo(SessionProperties.StoreType.REDIS);
		assertThat(session.ttl()).isEqualTo(Duration.ofMinutes(15));
		assertThat(session.keyPrefix()).isEqualTo("gw:session:");
		assertThat(session.bindingSecret()).isNull();
		assertThat(session.redis().terminateReplicas()).as("no replica to wait for by default").isZero();
		assertThat(session.maxPerCaller()).isEqualTo(20);
		assertThat(session.createRate()).isEqualTo(new SessionProperties.CreateRate(2.5, 5));
		assertThat(session.quotaExemptAdmin()).isTrue();
		assertThat(
				binder.bind("resilience4j.timelimiter.instances.session-quota.timeout-duration", Duration.class).get())
			.isEqualTo(Duration.ofSeconds(1));
		assertThat(at(rendered.applicationYaml(), "vmcp.session")).asInstanceOf(MAP)
			.doesNotContainKey("memory-sweep-interval");
		List<BackendProperties.Backend> backends = binder.bindOrCreate("vmcp", BackendProperties.class).backends();
		assertThat(backends).extracting(BackendProperties.Backend::name).containsExactly("github", "jira");
		assertThat(backends.get(0).requestTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(backends.get(1).requestTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(backends.get(0).protocol()).isEqualTo("2025");
		assertThat(backends.get(0).tools()).isEqualTo(new BackendProperties.NamedItems(List.of("issue_*", "search_*"),
				List.of("*_delete"), Map.of("issue_create", "new_issue"),
				Map.of("issue_create", "Opens an issue in the team's repository")));
		assertThat(backends.get(0).resources().deny()).containsExactly("repo://private/*");
		assertThat(backends.get(1).tools().allow()).as("no shape: everything shown").isEmpty();
		assertThat(binder.bindOrCreate("vmcp.policy", PolicyProperties.class).rules())
			.containsExactly(new PolicyProperties.Rule("destructive-for-ops", PolicyProperties.Effect.DENY,
					"has(item.annotations) && !('ops' in claims.groups)"));
		assertThat(backends.get(0).auth()).isEqualTo(new BackendProperties.Auth(MemberAuth.Type.TOKEN_EXCHANGE,
				URI.create("https://idp.example.com/oauth2/token"), "vmcp-gateway", "${VMCP_BACKEND_0_CLIENT_SECRET}",
				MemberAuth.ClientAuthentication.CLIENT_SECRET_BASIC, "github-mcp", null, List.of("repo.read")));
		assertThat(backends.get(1).auth()).isEqualTo(new BackendProperties.Auth(MemberAuth.Type.CLIENT_CREDENTIALS,
				URI.create("https://idp.example.com/oauth2/token"), "vmcp-gateway-jira",
				"${VMCP_BACKEND_1_CLIENT_SECRET}", MemberAuth.ClientAuthentication.CLIENT_SECRET_POST, null,
				URI.create("http://jira-mcp:8080/mcp"), List.of()));
		assertThat(secretRef(rendered, "VMCP_BACKEND_0_CLIENT_SECRET")).containsExactly("vmcp-idp-client",
				"client-secret");
		assertThat(secretRef(rendered, "VMCP_BACKEND_1_CLIENT_SECRET")).containsExactly("jira-idp-client", "secret");
		assertThat(
				binder.bind("resilience4j.timelimiter.instances.session-load.timeout-duration", Duration.class).get())
			.isEqualTo(Duration.ofSeconds(2));
		assertThat(at(rendered.applicationYaml(), "logging.level")).isEqualTo(Map.of("dev.vmcp", "DEBUG"));
	}

	@Test
	void redisSentinelRendersTheMasterAndNodesAndBothPasswordsComeFromSecrets() {
		Rendered rendered = renderFile("redis-sentinel.yaml");
		assertThat(at(rendered.get("Deployment"), "spec.replicas")).isEqualTo(3);
		Map<String, Object> redis = asMap(at(rendered.applicationYaml(), "spring.data.redis"));
		assertThat(redis).doesNotContainKeys("host", "port", "cluster", "password").containsEntry("database", 0);
		assertThat(asMap(redis.get("sentinel"))).doesNotContainKey("password");
		DataRedisProperties properties = binder(rendered).bindOrCreate("spring.data.redis", DataRedisProperties.class);
		assertThat(properties.getSentinel().getMaster()).isEqualTo("mymaster");
		assertThat(properties.getSentinel().getNodes()).containsExactly("redis-sentinel-0.redis-sentinel:26379",
				"redis-sentinel-1.redis-sentinel:26379", "redis-sentinel-2.redis-sentinel:26379");
		assertThat(secretRef(rendered, "SPRING_DATA_REDIS_PASSWORD")).containsExactly(FULLNAME, "redis-password");
		assertThat(secretRef(rendered, "SPRING_DATA_REDIS_SENTINEL_PASSWORD")).containsExactly("sentinel-credentials",
				"sentinel-password");
		assertThat(secretRef(rendered, "VMCP_SESSION_BINDING_SECRET")).containsExactly(FULLNAME, "binding-secret");
		Map<String, String> secret = secretData(rendered);
		assertThat(secret).containsOnlyKeys("redis-password", "binding-secret")
			.containsEntry("redis-password", "redis-password-from-values");
		assertThat(secret.get("binding-secret")).as("generated binding secret").matches("[A-Za-z0-9]{48}");
		SessionProperties session = binder(rendered).bindOrCreate("vmcp.session", SessionProperties.class);
		assertThat(session.redis().terminateReplicas()).as("a failover must not lose a termination").isEqualTo(1);
		assertThat(session.redis().replicaTimeout()).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void redisClusterWithTlsTrustsThePrivateCaAndHasNoDatabase() {
		Rendered rendered = renderFile("redis-cluster-tls.yaml");
		Map<String, Object> redis = asMap(at(rendered.applicationYaml(), "spring.data.redis"));
		assertThat(redis).doesNotContainKeys("host", "port", "database", "sentinel", "password");
		DataRedisProperties properties = binder(rendered).bindOrCreate("spring.data.redis", DataRedisProperties.class);
		assertThat(properties.getCluster().getNodes()).containsExactly("redis-cluster-0.redis-cluster:6379",
				"redis-cluster-1.redis-cluster:6379", "redis-cluster-2.redis-cluster:6379");
		assertThat(properties.getCluster().getMaxRedirects()).isEqualTo(3);
		assertThat(properties.getLettuce().getCluster().getRefresh().isAdaptive()).isTrue();
		assertThat(properties.getSsl().isEnabled()).isTrue();
		assertThat(properties.getSsl().getBundle()).isEqualTo("redis");
		assertThat(properties.getUsername()).isEqualTo("vmcp");
		assertThat(at(rendered.applicationYaml(), "spring.ssl.bundle.pem.redis.truststore.certificate"))
			.isEqualTo("file:/etc/vmcp-sessions/redis-ca/ca.pem");
		assertThat(named(list(container(rendered), "volumeMounts"), "redis-ca")).containsEntry("mountPath",
				"/etc/vmcp-sessions/redis-ca");
		assertThat(at(named(list(pod(rendered), "volumes"), "redis-ca"), "secret.secretName")).isEqualTo("redis-ca");
		assertThat(secretRef(rendered, "SPRING_DATA_REDIS_PASSWORD")).containsExactly(FULLNAME, "redis-password");
		assertThat(secretData(rendered)).containsOnly(entry("redis-password", "cluster-password-from-values"),
				entry("binding-secret", "binding-secret-from-values"));
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "redis-standalone.yaml", "redis-sentinel.yaml", "redis-cluster-tls.yaml", "features.yaml" })
	void noPasswordOrSecretReachesTheConfigMap(String valuesFile) {
		Rendered rendered = renderFile(valuesFile);
		String application = (String) at(rendered.get("ConfigMap"), "data.application.yaml");
		// A backend's client secret is named by the variable that carries it from its
		// Secret; how it is sent is named client-secret-basic or -post
		String withoutPlaceholders = application
			.replaceAll("client-secret: \"?\\$\\{VMCP_BACKEND_\\d+_CLIENT_SECRET}\"?", "")
			.replaceAll("client-authentication: \"?client-secret-(basic|post)\"?", "");
		assertThat(withoutPlaceholders).doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("secret");
		rendered.all("Secret")
			.forEach((secret) -> secretData(secret).values()
				.forEach((value) -> assertThat(application).doesNotContain(value)));
		assertThat(envNames(rendered)).contains("VMCP_SESSION_BINDING_SECRET");
		assertThat(list(container(rendered), "env")).filteredOn((env) -> !env.containsKey("value"))
			.allSatisfy((env) -> assertThat(at(env, "valueFrom.secretKeyRef")).isNotNull());
	}

	@Test
	void optionalObjectsRenderWhenEnabled() {
		Rendered rendered = renderFile("features.yaml");
		assertThat(rendered.kinds()).contains("HorizontalPodAutoscaler", "ServiceMonitor", "Ingress", "NetworkPolicy");
		assertThat(at(rendered.get("Deployment"), "spec")).asInstanceOf(MAP).doesNotContainKey("replicas");

		Map<String, Object> autoscaler = rendered.get("HorizontalPodAutoscaler");
		assertThat(autoscaler).containsEntry("apiVersion", "autoscaling/v2");
		assertThat(at(autoscaler, "spec.scaleTargetRef"))
			.isEqualTo(Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", FULLNAME));
		assertThat(at(autoscaler, "spec.minReplicas")).isEqualTo(3);
		assertThat(at(autoscaler, "spec.maxReplicas")).isEqualTo(12);
		Map<String, Object> cpu = first(list(autoscaler, "spec.metrics"));
		assertThat(at(cpu, "resource.name")).isEqualTo("cpu");
		assertThat(at(cpu, "resource.target.averageUtilization")).isEqualTo(60);

		Map<String, Object> monitor = rendered.get("ServiceMonitor");
		assertThat(monitor).containsEntry("apiVersion", "monitoring.coreos.com/v1");
		assertThat(at(monitor, "metadata.labels")).asInstanceOf(MAP).containsEntry("release", "prometheus");
		assertThat(first(list(monitor, "spec.endpoints"))).containsEntry("port", "management")
			.containsEntry("path", "/actuator/prometheus")
			.containsEntry("interval", "15s");

		Map<String, Object> ingress = rendered.get("Ingress");
		Map<String, Object> rule = first(list(ingress, "spec.rules"));
		assertThat(rule).containsEntry("host", "sessions.example.com");
		assertThat((String) at(rendered.get("ConfigMap"), "data.application.yaml")).contains("allowed-hosts:",
				"- sessions.example.com", "- " + FULLNAME + ".sessions.svc.cluster.local", "- localhost");
		assertThat(at(first(list(rule, "http.paths")), "backend.service"))
			.isEqualTo(Map.of("name", FULLNAME, "port", Map.of("name", "http")));
		assertThat(at(ingress, "spec.ingressClassName")).isEqualTo("nginx");

		Map<String, Object> policy = rendered.get("NetworkPolicy");
		assertThat(at(policy, "spec.podSelector.matchLabels")).isEqualTo(selectorLabels());
		assertThat(at(policy, "spec.policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
		Map<String, Object> ingressRule = first(list(policy, "spec.ingress"));
		assertThat(list(ingressRule, "ports")).containsExactly(Map.of("port", "http", "protocol", "TCP"));
		assertThat(list(ingressRule, "from")).hasSize(1);
		assertThat(list(policy, "spec.egress").stream()
			.flatMap((egress) -> list(egress, "ports").stream())
			.map((port) -> port.get("port"))).contains(53, 6379, 8080, 443, 4318);

		assertThat(at(rendered.applicationYaml(), "spring.security.oauth2.resourceserver.jwt.issuer-uri"))
			.isEqualTo("https://login.example.com/realms/mcp");
		assertThat(binder(rendered).bindOrCreate("vmcp.audit", AuditProperties.class))
			.isEqualTo(new AuditProperties(true, AuditProperties.SubjectMode.HASHED,
					AuditProperties.ArgumentsMode.DIGEST, new AuditProperties.ExpiryEvents(true, false)));
		// No jwt.audiences: the public URL of /mcp behind the Ingress, https by its TLS
		assertThat(binder(rendered).bindOrCreate("vmcp.jwt", JwtProperties.class).audiences())
			.containsExactly("https://sessions.example.com/mcp");
	}

	@Test
	void tracesAreSentOnlyWhereAnEndpointIsGiven() {
		assertThat(at(render().applicationYaml(), "management")).asInstanceOf(MAP)
			.doesNotContainKeys("opentelemetry", "tracing");

		Rendered rendered = render("tracing.otlpEndpoint", "https://collector.example.com/v1/traces",
				"tracing.samplingProbability", "0.5");
		assertThat(binder(rendered).bind("management.opentelemetry.tracing.export.otlp.endpoint", String.class).get())
			.isEqualTo("https://collector.example.com/v1/traces");
		assertThat(binder(rendered).bind("management.tracing.sampling.probability", Double.class).get()).isEqualTo(0.5);
	}

	@Test
	void jwtModeRendersTheAudiencesAndTheRequiredScopesGiven() {
		Rendered rendered = render("jwt.jwkSetUri", "https://login.example.com/keys", "jwt.authorizationServers[0]",
				"https://login.example.com", "jwt.audiences[0]", "https://gateway.example.com/mcp", "jwt.audiences[1]",
				"https://gateway.internal/mcp", "jwt.requiredScopes[0]", "mcp:read", "jwt.requiredScopes[1]",
				"mcp:call", "ingress.enabled", "true");
		JwtProperties jwt = binder(rendered).bindOrCreate("vmcp.jwt", JwtProperties.class);
		assertThat(jwt.audiences()).containsExactly("https://gateway.example.com/mcp", "https://gateway.internal/mcp");
		assertThat(jwt.requiredScopes()).containsExactly("mcp:read", "mcp:call");
		assertThat(at(rendered.applicationYaml(), "spring.security.oauth2.resourceserver.jwt.jwk-set-uri"))
			.isEqualTo("https://login.example.com/keys");
		assertThat(at(rendered.applicationYaml(), "vmcp.mcp.authorization-servers"))
			.isEqualTo(List.of("https://login.example.com"));
	}

	@Test
	void anIngressWithoutTlsGivesAnHttpAudienceAndAnonymousModeNone() {
		Rendered jwt = render("jwt.issuerUri", "https://login.example.com/realms/mcp", "ingress.enabled", "true");
		assertThat(binder(jwt).bindOrCreate("vmcp.jwt", JwtProperties.class).audiences())
			.containsExactly("http://vmcp-sessions.local/mcp");
		assertThat(at(render("ingress.enabled", "true").applicationYaml(), "vmcp")).asInstanceOf(MAP)
			.doesNotContainKey("jwt");
	}

	@ParameterizedTest
	@ValueSource(strings = { "store=postgres", "replicaCount=0", "redis.mode=replicated", "redis.enabled=true",
			"replicas=3", "redis.port=70000", "session.ttl=soon", "image.pullPolicy=Sometimes",
			"podAntiAffinityPreset=always", "managementPort=0", "networkPolicy.management.namespaces=monitoring",
			"audit.subject=email", "audit.arguments=values", "audit.expiryEvents.enabled=sometimes",
			"tracing.samplingProbability=1.5", "tracing.otlpEndpoint=collector:4318" })
	void valuesOutsideTheSchemaFailTemplateAndLint(String assignment, @TempDir Path temp) {
		String[] keyValue = assignment.split("=", 2);
		assertThatIllegalStateException().isThrownBy(() -> render(keyValue[0], keyValue[1]))
			.withMessageContaining("values don't meet the specifications of the schema");
		Map<String, Object> values = new LinkedHashMap<>();
		put(values, keyValue[0], new Yaml().load(keyValue[1]));
		LintResult result = lintWith(temp, values);
		assertThat(result.isFailed()).isTrue();
		assertThat(String.join("\n", result.getMessages())).contains("schema");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					store=memory,replicaCount=2 | replicaCount cannot exceed 1
					store=memory,autoscaling.enabled=true | autoscaling.enabled needs store=redis
					store=redis | needs redis.host
					store=redis,redis.mode=sentinel | needs redis.sentinel.master and redis.sentinel.nodes
					store=redis,redis.mode=cluster | needs redis.cluster.nodes
					terminationGracePeriodSeconds=35 | must exceed shutdown.preStopSleepSeconds + shutdown.drainSeconds (35)
					managementPort=8080 | managementPort (8080) must differ from containerPort
					jwt.issuerUri=https://login.example.com | JWT mode (jwt.issuerUri or jwt.jwkSetUri) needs jwt.audiences
					jwt.jwkSetUri=https://login.example.com/keys,jwt.audiences[0]=https://g.example.com/mcp | jwt.jwkSetUri alone needs jwt.authorizationServers
					store=redis,redis.host=r,autoscaling.enabled=true,autoscaling.minReplicas=5,autoscaling.maxReplicas=3 | minReplicas cannot exceed
					""")
	void inconsistentValuesFailWithAMessageSayingWhatToChange(String assignments, String message) {
		String[] pairs = assignments.split(",");
		List<String> keysAndValues = new ArrayList<>();
		for (String pair : pairs) {
			keysAndValues.addAll(List.of(pair.split("=", 2)));
		}
		assertThatIllegalStateException().isThrownBy(() -> render(keysAndValues.toArray(String[]::new)))
			.withMessageContaining(message);
	}

	@Test
	void everyValueIsDocumentedInValuesAndReadmeAndCoveredByTheSchema() throws IOException {
		String valuesYaml = Files.readString(CHART.resolve("values.yaml"));
		Set<String> documented = new TreeSet<>();
		Matcher matcher = Pattern.compile("(?m)^\\s*## @param (\\S+) \\S").matcher(valuesYaml);
		while (matcher.find()) {
			documented.add(matcher.group(1));
		}
		Set<String> leaves = new TreeSet<>();
		collectLeaves("", readYaml(CHART.resolve("values.yaml")), leaves);
		assertThat(documented).isEqualTo(leaves);
		String readme = Files.readString(CHART.resolve("README.md"));
		assertThat(leaves).allSatisfy((leaf) -> assertThat(readme).contains("| `" + leaf + "` |"));

		Map<String, Object> schema = asMap(JsonMapper.builder()
			.build()
			.readValue(Files.readString(CHART.resolve("values.schema.json")), Map.class));
		assertThat(schema).containsEntry("$schema", "http://json-schema.org/draft-07/schema#");
		assertThat(leaves).allSatisfy((leaf) -> assertThat(schemaFor(schema, leaf)).as(leaf).isNotNull());
	}

	// Rendering

	private static TemplateCommand template() {
		return new Helm(CHART).template().withName(RELEASE).withNamespace("sessions").withKubeVersion(KUBE_VERSION);
	}

	private static Rendered render(String... keysAndValues) {
		TemplateCommand template = template();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			template.set(keysAndValues[i], keysAndValues[i + 1]);
		}
		return render(template);
	}

	private static Rendered renderFile(String valuesFile) {
		return render(template().withValuesFile(VALUES.resolve(valuesFile)));
	}

	private static Rendered render(TemplateCommand template) {
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml().loadAll(template.call())) {
			if (document != null) {
				objects.add(asMap(document));
			}
		}
		return new Rendered(objects);
	}

	/**
	 * Lints a copy of the chart whose values.yaml has the given values merged over the
	 * chart's: helm-java lints a chart with its own values only.
	 */
	private static LintResult lintWith(Path temp, Map<String, Object> values) {
		Path chart = temp.resolve("vmcp-sessions");
		try (Stream<Path> files = Files.walk(CHART)) {
			for (Path file : files.toList()) {
				Path target = chart.resolve(CHART.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target);
				}
			}
			Map<String, Object> merged = readYaml(CHART.resolve("values.yaml"));
			merge(merged, values);
			Files.writeString(chart.resolve("values.yaml"), new Yaml().dump(merged));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new Helm(chart).lint().strict().call();
	}

	private record Rendered(List<Map<String, Object>> objects) {

		Set<String> kinds() {
			Set<String> kinds = new TreeSet<>();
			this.objects.forEach((object) -> kinds.add((String) object.get("kind")));
			return kinds;
		}

		List<Map<String, Object>> all(String kind) {
			return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
		}

		Map<String, Object> get(String kind) {
			List<Map<String, Object>> all = all(kind);
			assertThat(all).as(kind).hasSize(1);
			return all.get(0);
		}

		Map<String, Object> get(String kind, String name) {
			return all(kind).stream()
				.filter((object) -> name.equals(at(object, "metadata.name")))
				.findFirst()
				.orElseThrow(() -> new AssertionError("No " + kind + " named " + name));
		}

		Map<String, Object> applicationYaml() {
			return asMap(new Yaml().load((String) at(get("ConfigMap"), "data.application.yaml")));
		}

	}

	// Navigating the rendered objects

	private static Map<String, Object> pod(Rendered rendered) {
		return asMap(at(rendered.get("Deployment"), "spec.template.spec"));
	}

	private static Map<String, Object> container(Rendered rendered) {
		return first(list(pod(rendered), "containers"));
	}

	private static List<String> envNames(Rendered rendered) {
		return list(container(rendered), "env").stream().map((env) -> (String) env.get("name")).toList();
	}

	private static Map<String, Object> env(Rendered rendered, String name) {
		return named(list(container(rendered), "env"), name);
	}

	private static List<Object> secretRef(Rendered rendered, String name) {
		Map<String, Object> ref = asMap(at(env(rendered, name), "valueFrom.secretKeyRef"));
		return List.of(ref.get("name"), ref.get("key"));
	}

	private static Map<String, String> secretData(Rendered rendered) {
		Map<String, Object> secret = rendered.get("Secret");
		assertThat(at(secret, "metadata.name")).isEqualTo(FULLNAME);
		return secretData(secret);
	}

	private static Map<String, String> secretData(Map<String, Object> secret) {
		Map<String, String> decoded = new LinkedHashMap<>();
		asMap(secret.get("data")).forEach((key, value) -> decoded.put(key,
				new String(Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8)));
		return decoded;
	}

	private static Map<String, Object> labels(Map<String, Object> object) {
		return asMap(at(object, "metadata.labels"));
	}

	private static Map<String, Object> selectorLabels() {
		return Map.of("app.kubernetes.io/name", "vmcp-sessions", "app.kubernetes.io/instance", RELEASE);
	}

	private static Binder binder(Rendered rendered) {
		String application = (String) at(rendered.get("ConfigMap"), "data.application.yaml");
		try {
			return new Binder(ConfigurationPropertySources.from(new YamlPropertySourceLoader().load("application.yaml",
					new ByteArrayResource(application.getBytes(StandardCharsets.UTF_8)))));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The value at a dotted path; a key containing dots (such as
	 * {@code application.yaml}) is matched whole when present.
	 */
	private static Object at(Object root, String path) {
		Object current = root;
		String remaining = path;
		while (!remaining.isEmpty()) {
			Map<String, Object> map = asMap(current);
			String key = longestKey(map, remaining);
			if (key == null) {
				return null;
			}
			current = map.get(key);
			remaining = (remaining.length() > key.length()) ? remaining.substring(key.length() + 1) : "";
		}
		return current;
	}

	private static String longestKey(Map<String, Object> map, String path) {
		String candidate = path;
		while (true) {
			if (map.containsKey(candidate)) {
				return candidate;
			}
			int dot = candidate.lastIndexOf('.');
			if (dot < 0) {
				return null;
			}
			candidate = candidate.substring(0, dot);
		}
	}

	private static List<Map<String, Object>> list(Object root, String path) {
		Object value = at(root, path);
		assertThat(value).as(path).isInstanceOf(List.class);
		return ((List<?>) value).stream().map(HelmChartTests::asMap).toList();
	}

	private static Map<String, Object> named(List<Map<String, Object>> items, String name) {
		return items.stream()
			.filter((item) -> name.equals(item.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No item named " + name + " in " + items));
	}

	private static Map<String, Object> first(List<Map<String, Object>> items) {
		assertThat(items).isNotEmpty();
		return items.get(0);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	// Values files and schema

	private static Map<String, Object> chartYaml() {
		return readYaml(CHART.resolve("Chart.yaml"));
	}

	private static Map<String, Object> readYaml(Path file) {
		try {
			return asMap(new Yaml().load(Files.readString(file)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void put(Map<String, Object> values, String path, Object value) {
		int dot = path.indexOf('.');
		if (dot < 0) {
			values.put(path, value);
			return;
		}
		Object child = values.computeIfAbsent(path.substring(0, dot), (key) -> new LinkedHashMap<String, Object>());
		put(asMap(child), path.substring(dot + 1), value);
	}

	private static void merge(Map<String, Object> target, Map<String, Object> source) {
		source.forEach((key, value) -> {
			if (value instanceof Map<?, ?> && target.get(key) instanceof Map<?, ?>) {
				merge(asMap(target.get(key)), asMap(value));
			}
			else {
				target.put(key, value);
			}
		});
	}

	/**
	 * Paths of the values a user sets: scalars, lists and maps that are empty in
	 * values.yaml (free-form maps such as {@code podAnnotations}).
	 */
	private static void collectLeaves(String prefix, Map<String, Object> values, Set<String> leaves) {
		values.forEach((key, value) -> {
			String path = prefix.isEmpty() ? key : prefix + "." + key;
			if (value instanceof Map<?, ?> map && !map.isEmpty()) {
				collectLeaves(path, asMap(value), leaves);
			}
			else {
				leaves.add(path);
			}
		});
	}

	private static Object schemaFor(Map<String, Object> schema, String path) {
		Object current = schema;
		for (String key : path.split("\\.")) {
			Map<String, Object> node = asMap(current);
			if (node.containsKey("$ref")) {
				node = asMap(at(schema, ((String) node.get("$ref")).substring(2).replace('/', '.')));
			}
			Object properties = node.get("properties");
			if (properties == null) {
				// a free-form Kubernetes object (resources, securityContext): any content
				return "object".equals(node.get("type")) ? node : null;
			}
			current = asMap(properties).get(key);
			if (current == null) {
				return null;
			}
		}
		return current;
	}

}
