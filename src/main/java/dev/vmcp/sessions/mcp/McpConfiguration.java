package dev.vmcp.sessions.mcp;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.audit.AuditTrail;
import dev.vmcp.sessions.backend.BackendCatalog;
import dev.vmcp.sessions.backend.BackendHttp;
import dev.vmcp.sessions.backend.BackendMessenger;
import dev.vmcp.sessions.backend.MemberCaller;
import dev.vmcp.sessions.backend.MemberRevisions;
import dev.vmcp.sessions.config.BackendProperties;
import dev.vmcp.sessions.config.ServiceVersion;
import dev.vmcp.sessions.config.SessionProperties;
import dev.vmcp.sessions.policy.ItemPolicy;
import dev.vmcp.sessions.policy.PolicyProperties;
import dev.vmcp.sessions.security.CallerResolver;
import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.tracing.Traces;

/**
 * Wires the MCP front door on top of the session core.
 */
@Configuration(proxyBeanMethods = false)
class McpConfiguration {

	@Bean
	BackendMessenger backendMessenger(BackendHttp backendHttp, JsonMapper jsonMapper) {
		return new BackendMessenger(backendHttp, jsonMapper);
	}

	/** Which revision each member speaks, as this pod learned it. */
	@Bean
	MemberRevisions memberRevisions(BackendHttp backendHttp, JsonMapper jsonMapper, McpProperties properties,
			SessionProperties sessionProperties, ServiceVersion version) {
		return new MemberRevisions(backendHttp, jsonMapper, properties.memberRevisionTtl(),
				sessionProperties.backendRetryInterval(), version.value());
	}

	@Bean
	McpMetrics mcpMetrics(MeterRegistry registry) {
		return new McpMetrics(registry);
	}

	@Bean
	McpSignals mcpSignals(PodBroadcasts broadcasts) {
		return new McpSignals(broadcasts);
	}

	@Bean
	MemberIds memberIds(JsonMapper jsonMapper) {
		return new MemberIds(jsonMapper);
	}

	@Bean
	Members members(BackendCatalog backends, BackendMessenger messenger, MemberRevisions revisions,
			JsonMapper jsonMapper, McpSpans spans) {
		return new Members(backends, messenger, revisions, jsonMapper, spans);
	}

	@Bean
	McpSpans mcpSpans(Traces traces) {
		return new McpSpans(traces);
	}

	@Bean
	MemberShapes memberShapes(BackendProperties backends) {
		return MemberShapesProperties.shapes(backends);
	}

	/**
	 * The policy rules, compiled once: a rule that does not compile stops the start-up.
	 */
	@Bean
	CallerViews callerViews(PolicyProperties policy, SessionProperties sessionProperties) {
		return new CallerViews(ItemPolicy.compile(policy.rules()),
				sessionProperties.cache().capacity() * CatalogKind.values().length);
	}

	@Bean
	Catalogs catalogs(Members members, McpProperties properties, MemberShapes shapes, CallerViews views,
			SessionProperties sessionProperties, ExecutorService backendExecutor, McpMetrics metrics,
			McpSignals signals) {
		// Lists are fetched for the caller whose request needs them
		Catalogs catalogs = new Catalogs(members, properties.toolNaming(), shapes, views,
				MemberCaller.propagating(backendExecutor), metrics,
				sessionProperties.cache().capacity() * CatalogKind.values().length, properties.catalogTtl(),
				sessionProperties.backendRetryInterval());
		signals.onCatalogChanged(catalogs::invalidate);
		return catalogs;
	}

	@Bean
	RequestFlow requestFlow(Members members, Catalogs catalogs, McpSignals signals, MemberIds ids,
			JsonMapper jsonMapper, McpMetrics metrics, AuditTrail auditTrail, McpSpans spans) {
		return new RequestFlow(members, catalogs, signals, ids, jsonMapper, metrics, auditTrail, spans);
	}

	/**
	 * What the protected resource metadata (RFC 9728) tells MCP clients in JWT mode:
	 * where to log in ({@code vmcp.mcp.authorization-servers}, else the JWT issuer). The
	 * metadata must name one: JWT mode without either does not start, rather than answer
	 * every client's discovery with an error.
	 */
	@Bean
	Consumer<OAuth2ProtectedResourceMetadata.Builder> mcpResourceDescription(McpProperties properties,
			Environment environment, ObjectProvider<JwtDecoder> jwtDecoder) {
		List<String> configured = properties.authorizationServers().stream().map(URI::toString).toList();
		String issuer = environment.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri");
		List<String> servers = (configured.isEmpty() && issuer != null) ? List.of(issuer) : configured;
		if (servers.isEmpty() && jwtDecoder.getIfAvailable() != null) {
			throw new IllegalStateException("JWT mode needs the authorization server MCP clients log in at: set "
					+ "vmcp.mcp.authorization-servers (or spring.security.oauth2.resourceserver.jwt.issuer-uri)");
		}
		return (resource) -> resource.authorizationServers((list) -> list.addAll(servers))
			.scope(CallerResolver.ADMIN_SCOPE)
			.resourceName("vmcp-sessions");
	}

	/**
	 * CORS on {@code /mcp} for browser clients. The name is Spring Security's convention:
	 * {@code http.cors(...)} in the security filter chain picks this source up, so that a
	 * preflight is answered before authentication asks it for a token it never carries.
	 */
	@Bean
	McpCors corsConfigurationSource(McpProperties properties) {
		return new McpCors(properties.allowedOrigins());
	}

	/** Before everything else, security included: a refused origin learns nothing. */
	@Bean
	FilterRegistrationBean<HostOriginGuard> hostOriginGuard(McpProperties properties) {
		FilterRegistrationBean<HostOriginGuard> registration = new FilterRegistrationBean<>(
				new HostOriginGuard(properties.allowedHosts(), properties.allowedOrigins()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		registration.addUrlPatterns(McpEndpoint.PATH);
		return registration;
	}

}
