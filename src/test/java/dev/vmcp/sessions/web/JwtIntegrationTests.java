package dev.vmcp.sessions.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.vmcp.sessions.security.OwnerBindings;
import dev.vmcp.sessions.testsupport.HttpApi;
import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.RedisServerProcess;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity with a JWT resource server, on two pods sharing one Redis: sessions are bound
 * to (iss, sub), strangers are turned away without harm, administrators see everything.
 */
class JwtIntegrationTests {

	private static final String ISSUER = "https://issuer.test";

	private static final String AUDIENCE = "https://gateway.test/mcp";

	private static final String SECRET = "test-binding-secret";

	private static final String MCP_INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
			+ "\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
			+ "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

	private static RedisServerProcess redis;

	private static TestPod podA;

	private static TestPod podB;

	private static RSAPrivateKey signingKey;

	private static RSAPrivateKey strangerKey;

	@BeforeAll
	static void start() throws Exception {
		KeyPair keys = rsaKeyPair();
		signingKey = (RSAPrivateKey) keys.getPrivate();
		strangerKey = (RSAPrivateKey) rsaKeyPair().getPrivate();
		Path publicKey = Files.createTempFile("jwt-public", ".pem");
		Files.writeString(publicKey,
				"-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
						+ "\n-----END PUBLIC KEY-----\n");
		redis = RedisServerProcess.start();
		Map<String, Object> properties = new LinkedHashMap<>(TestPod.redisProperties(redis.port()));
		properties.put("spring.security.oauth2.resourceserver.jwt.public-key-location", "file:" + publicKey);
		properties.put("vmcp.jwt.audiences", AUDIENCE);
		properties.put("vmcp.mcp.authorization-servers", ISSUER);
		podA = TestPod.start(properties);
		podB = TestPod.start(properties);
	}

	@AfterAll
	static void stop() {
		podA.close();
		podB.close();
		redis.close();
	}

	@Test
	void requestsWithoutAValidTokenAreRefusedWith401Problems() {
		assertUnauthorized(podA.http().postEmpty("/api/v1/sessions"));
		assertUnauthorized(podA.http().withBearer("not-a-jwt").postEmpty("/api/v1/sessions"));
		Response malformed = podA.http().withBearer("two words").postEmpty("/api/v1/sessions");
		assertUnauthorized(malformed);
		assertThat(malformed.header("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("invalid_token", "malformed"));
		assertUnauthorized(podA.http()
			.withBearer(token("alice", List.of(), Instant.now().minusSeconds(60)))
			.postEmpty("/api/v1/sessions"));
		assertUnauthorized(podA.http()
			.withBearer(sign(claims("alice", List.of(), Instant.now().plusSeconds(300)), strangerKey))
			.postEmpty("/api/v1/sessions"));
		assertThat(podA.http().get("/actuator/health/liveness").status()).isEqualTo(200);
	}

	@Test
	@DisplayName("race 11: a caller with the wrong identity is rejected on every pod and the session is untouched")
	void anotherSubjectIsTurnedAwayAndTheSessionIsUntouched() {
		HttpApi alice = podA.http().withBearer(validToken("alice"));
		HttpApi mallory = podB.http().withBearer(validToken("mallory"));
		String id = alice.postEmpty("/api/v1/sessions").sessionId();
		assertThat(mallory.get("/api/v1/sessions/" + id).status()).isEqualTo(404);
		assertThat(mallory.delete("/api/v1/sessions/" + id).status()).isEqualTo(404);
		assertThat(mallory.patch("/api/v1/sessions/" + id + "/metadata", "{\"a\":\"1\"}", Map.of()).status())
			.isEqualTo(404);
		Response stillThere = podB.http().withBearer(validToken("alice")).get("/api/v1/sessions/" + id);
		assertThat(stillThere.status()).isEqualTo(200);
		assertThat(stillThere.json().get("metadata").size()).isZero();
	}

	@Test
	void anIssuerThatIsNotAUrlIsBoundLikeAnyOther() {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("urn:example:idp")
			.audience(AUDIENCE)
			.subject("erin")
			.expirationTime(Date.from(Instant.now().plusSeconds(300)))
			.build();
		HttpApi erin = podA.http().withBearer(sign(claims, signingKey));
		String id = erin.postEmpty("/api/v1/sessions").sessionId();
		assertThat(erin.get("/api/v1/sessions/" + id).status()).isEqualTo(200);
		assertThat(podB.http().withBearer(validToken("erin")).get("/api/v1/sessions/" + id).status()).isEqualTo(404);
	}

	@Test
	void aRefreshedTokenForTheSameSubjectKeepsAccess() {
		String id = podA.http().withBearer(validToken("bob")).postEmpty("/api/v1/sessions").sessionId();
		String refreshed = token("bob", List.of(), Instant.now().plusSeconds(600));
		assertThat(podB.http().withBearer(refreshed).get("/api/v1/sessions/" + id).status()).isEqualTo(200);
	}

	@Test
	void anAdministratorMayReadAndTerminateAnySession() {
		String id = podA.http().withBearer(validToken("carol")).postEmpty("/api/v1/sessions").sessionId();
		HttpApi admin = podB.http().withBearer(token("ops", List.of("sessions:admin"), Instant.now().plusSeconds(300)));
		assertThat(admin.get("/api/v1/sessions/" + id).status()).isEqualTo(200);
		assertThat(admin.delete("/api/v1/sessions/" + id).status()).isEqualTo(204);
		assertThat(podA.http().withBearer(validToken("carol")).get("/api/v1/sessions/" + id).status()).isEqualTo(404);
	}

	@Test
	@DisplayName("race 12: the record binds the HMAC of (iss, sub), never the identity or a token hash")
	void theRecordHoldsOnlyTheHmacOfIssuerAndSubject() {
		String token = validToken("dave@example.com");
		String id = podA.http().withBearer(token).postEmpty("/api/v1/sessions").sessionId();
		StringRedisTemplate redisTemplate = podA.bean(StringRedisTemplate.class);
		Map<Object, Object> stored = redisTemplate.opsForHash().entries("vmcp:session:{" + id + "}");
		String raw = stored.toString();
		assertThat(raw).doesNotContain("dave").doesNotContain("issuer.test").doesNotContain(token);
		String binding = new OwnerBindings(SECRET.getBytes(StandardCharsets.UTF_8)).bind(ISSUER, "dave@example.com");
		assertThat((String) stored.get("record")).contains("\"owner\":\"" + binding + "\"");
	}

	private static void assertUnauthorized(Response response) {
		SessionApiIntegrationTests.assertProblem(response, 401);
		assertThat(response.header("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).startsWith("Bearer"));
	}

	private static String validToken(String subject) {
		return token(subject, List.of(), Instant.now().plus(Duration.ofMinutes(5)));
	}

	private static String token(String subject, List<String> scopes, Instant expiresAt) {
		return sign(claims(subject, scopes, expiresAt), signingKey);
	}

	private static JWTClaimsSet claims(String subject, List<String> scopes, Instant expiresAt) {
		return new JWTClaimsSet.Builder().issuer(ISSUER)
			.audience(AUDIENCE)
			.subject(subject)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(expiresAt.minus(Duration.ofMinutes(10))))
			.expirationTime(Date.from(expiresAt))
			.claim("scope", String.join(" ", scopes))
			.build();
	}

	private static String sign(JWTClaimsSet claims, RSAPrivateKey key) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
			jwt.sign(new RSASSASigner(key));
			return jwt.serialize();
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeyPair rsaKeyPair() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

	@Test
	void mcpWithoutATokenPointsTheClientAtTheProtectedResourceMetadata() {
		Response refused = podA.http()
			.send("POST", "/mcp", MCP_INITIALIZE,
					Map.of("Content-Type", "application/json", "Accept", "application/json, text/event-stream"));

		assertThat(refused.status()).isEqualTo(401);
		String metadataUrl = "http://127.0.0.1:" + podA.port() + "/.well-known/oauth-protected-resource";
		assertThat(refused.header("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer")
				.contains("resource_metadata=\"" + metadataUrl + "\""));
		Response metadata = podA.http().get("/.well-known/oauth-protected-resource");
		assertThat(metadata.status()).isEqualTo(200);
		assertThat(metadata.json().get("resource").asString()).isEqualTo(AUDIENCE);
		assertThat(metadata.json().get("authorization_servers").get(0).asString()).isEqualTo(ISSUER);
	}

	@Test
	void anMcpSessionIsBoundToItsCallerOnEveryPod() {
		Map<String, String> headers = Map.of("Content-Type", "application/json", "Accept",
				"application/json, text/event-stream");
		Response initialized = podA.http()
			.withBearer(validToken("alice"))
			.send("POST", "/mcp", MCP_INITIALIZE, headers);
		assertThat(initialized.status()).isEqualTo(200);
		String sessionId = initialized.header("Mcp-Session-Id").orElseThrow();
		Map<String, String> inSession = new java.util.HashMap<>(headers);
		inSession.put("Mcp-Session-Id", sessionId);
		String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";

		assertThat(podB.http().withBearer(validToken("mallory")).send("POST", "/mcp", ping, inSession).status())
			.isEqualTo(404);
		assertThat(podB.http().withBearer(validToken("alice")).send("POST", "/mcp", ping, inSession).status())
			.isEqualTo(200);
	}

}
