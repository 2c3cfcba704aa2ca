package dev.vmcp.sessions.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.security.CallerResolver;
import dev.vmcp.sessions.testsupport.HttpApi;
import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestIssuer;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator on a port of its own ({@code management.server.port}), as the Helm chart
 * deploys it, anonymous and in JWT mode: the API port answers 404 for every actuator
 * path, the management port serves the probes, health and metrics without a token, and
 * shows health details to an administrator's token only.
 */
class ManagementPortIntegrationTests {

	private static final List<String> ACTUATOR_PATHS = List.of("/actuator", "/actuator/health",
			"/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus", "/actuator/metrics",
			"/actuator/metrics/vmcp.sessions.live", "/actuator/info");

	private static RedisServerProcess redis;

	private static TestIssuer issuer;

	private static TestPod anonymous;

	private static TestPod jwt;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		issuer = TestIssuer.create();
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(redis.port()));
		properties.put("management.server.port", 0);
		anonymous = TestPod.start(properties);
		properties.putAll(issuer.podProperties());
		jwt = TestPod.start(properties);
	}

	@AfterAll
	static void stop() {
		anonymous.close();
		jwt.close();
		redis.close();
	}

	@Test
	void theApiPortAnswers404ForEveryActuatorPath() {
		HttpApi administrator = jwt.http().withBearer(issuer.token("ops", CallerResolver.ADMIN_SCOPE));
		Stream.of(anonymous.http(), jwt.http(), administrator)
			.forEach((api) -> ACTUATOR_PATHS
				.forEach((path) -> SessionApiIntegrationTests.assertProblem(api.get(path), 404)));
	}

	@Test
	void theManagementPortServesTheProbesHealthAndMetricsWithoutAToken() {
		for (TestPod pod : List.of(anonymous, jwt)) {
			HttpApi management = pod.management();
			assertThat(management.get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");
			assertThat(management.get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("UP");
			assertThat(management.get("/actuator/health").status()).isEqualTo(200);
			Response scrape = management.get("/actuator/prometheus");
			assertThat(scrape.status()).isEqualTo(200);
			assertThat(scrape.contentType()).startsWith("text/plain");
			assertThat(scrape.body()).contains("vmcp_sessions_live", "vmcp_sessions_creations_total");
			Response metric = management.get("/actuator/metrics/vmcp.sessions.live");
			assertThat(metric.status()).isEqualTo(200);
			assertThat(metric.json().get("name").asString()).isEqualTo("vmcp.sessions.live");
		}
	}

	@Test
	void theManagementPortServesNeitherTheApiNorTheFrontDoor() {
		// With a valid token, so that JWT mode's authentication of /api/** and /mcp (401
		// without one) lets the request through to find nothing there.
		List<HttpApi> callers = List.of(anonymous.management(), jwt.management().withBearer(issuer.token("alice")));
		for (HttpApi management : callers) {
			assertThat(management.get("/api/v1/sessions/" + "A".repeat(43)).status()).isEqualTo(404);
			assertThat(management.postEmpty("/api/v1/sessions").status()).isEqualTo(404);
			assertThat(management.post("/mcp", "{}").status()).isEqualTo(404);
			assertThat(management.get("/v3/api-docs").status()).isEqualTo(404);
		}
	}

	@Test
	void callersWithoutTheAdministratorScopeSeeTheHealthStatusAlone() {
		List<HttpApi> callers = List.of(anonymous.management(), jwt.management(),
				jwt.management().withBearer(issuer.token("alice")));
		for (HttpApi caller : callers) {
			Response health = caller.get("/actuator/health");
			assertThat(health.status()).isEqualTo(200);
			assertThat(health.json().get("status").asString()).isEqualTo("UP");
			assertThat(health.json().propertyNames()).doesNotContain("components", "details");
			assertThat(health.body()).doesNotContain("redis").doesNotContain("version");
		}
	}

	@Test
	void anAdministratorTokenSeesTheHealthDetailsOnTheManagementPort() {
		HttpApi administrator = jwt.management().withBearer(issuer.token("ops", CallerResolver.ADMIN_SCOPE));
		JsonNode health = administrator.get("/actuator/health").json();
		assertThat(health.get("status").asString()).isEqualTo("UP");
		JsonNode redisHealth = health.get("components").get("redis");
		assertThat(redisHealth.get("status").asString()).isEqualTo("UP");
		assertThat(redisHealth.get("details").get("version").asString()).isNotBlank();
	}

	@Test
	void theApiSecurityRulesReachTheManagementPortSoAnInvalidTokenIsRefused() {
		// The management port's child context runs the main security filters: that
		// lets an administrator's token show details there, and it means that a token,
		// when one is sent, must be valid. Probes and scrapers send none.
		Response refused = jwt.management().withBearer("not-a-jwt").get("/actuator/health/liveness");
		SessionApiIntegrationTests.assertProblem(refused, 401);
		assertThat(jwt.management().get("/actuator/health/liveness").status()).isEqualTo(200);
	}

}
