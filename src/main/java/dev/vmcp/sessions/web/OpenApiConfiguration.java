package dev.vmcp.sessions.web;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import dev.vmcp.sessions.config.ServiceVersion;
import dev.vmcp.sessions.security.CallerResolver;

/**
 * The API document ({@code /v3/api-docs}, Swagger UI): the service's own name and build
 * version, its security scheme as this deployment uses it, and what the operations of
 * {@link SessionController} share (problem responses, headers, request body schemas),
 * which their annotations name by the references below.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String SESSION_CREATION = "#/components/schemas/SessionCreation";

	static final String METADATA_MERGE_PATCH = "#/components/schemas/MetadataMergePatch";

	static final String ETAG = "#/components/headers/ETag";

	static final String LOCATION = "#/components/headers/Location";

	static final String RETRY_AFTER = "#/components/headers/Retry-After";

	static final String BAD_REQUEST = "#/components/responses/BadRequest";

	static final String UNAUTHORIZED = "#/components/responses/Unauthorized";

	static final String NOT_FOUND = "#/components/responses/NotFound";

	static final String CONFLICT = "#/components/responses/Conflict";

	static final String PRECONDITION_FAILED = "#/components/responses/PreconditionFailed";

	static final String CONTENT_TOO_LARGE = "#/components/responses/ContentTooLarge";

	static final String UNSUPPORTED_MEDIA_TYPE = "#/components/responses/UnsupportedMediaType";

	static final String TOO_MANY_REQUESTS = "#/components/responses/TooManyRequests";

	static final String SERVICE_UNAVAILABLE = "#/components/responses/ServiceUnavailable";

	private static final String BEARER_JWT = "bearer-jwt";

	private static final String PROBLEM_JSON = "application/problem+json";

	private static final String PROBLEM = "#/components/schemas/Problem";

	private static final String WWW_AUTHENTICATE = "#/components/headers/WWW-Authenticate";

	private static final String EXAMPLE_PATH = "/api/v1/sessions/7kZNX30PrENQunbBeE66TK7EqLahpgkzfEH6WeX3rHY";

	private static final String DESCRIPTION = """
			Sessions of a virtual MCP server: each session holds one MCP session per member \
			backend, and any instance of the service serves any session.

			- Every error is an RFC 9457 problem (`application/problem+json`), also for requests \
			this document does not describe (405 for another method, 406 for an `Accept` without JSON).
			- Request bodies are limited to %d bytes (413 beyond).
			- `ETag` is the session's version: `If-Match` makes a metadata change conditional \
			(412 when someone changed it first), `If-None-Match` makes a read answer 304 when nothing changed.
			- 503 with `Retry-After`: the session store is unavailable or too slow; the session \
			is unharmed, retry after that many seconds.
			- 429 with `Retry-After` on creation: the caller holds as many live sessions as it \
			may, or creates them faster than it may; nothing was opened.

			The MCP endpoint `/mcp` is not described here: it speaks JSON-RPC over the Streamable \
			HTTP transport of the Model Context Protocol, whose specification \
			(https://modelcontextprotocol.io/specification) describes it; use an MCP client \
			for it. Its `Mcp-Session-Id` is the `id` of the sessions below.
			""".formatted(RequestSizeLimitFilter.MAX_BODY_BYTES);

	@Bean
	OpenAPI sessionsOpenApi(ServiceVersion version, ObjectProvider<JwtDecoder> jwtDecoder) {
		boolean jwt = jwtDecoder.getIfAvailable() != null;
		OpenAPI api = new OpenAPI()
			.info(new Info().title("vmcp-sessions").version(version.value()).description(DESCRIPTION))
			.components(new Components().addSecuritySchemes(BEARER_JWT, bearerJwt(jwt)));
		if (jwt) {
			api.addSecurityItem(new SecurityRequirement().addList(BEARER_JWT));
		}
		return api;
	}

	/**
	 * The shared schemas, headers and responses, added to each document built rather than
	 * to the bean above: springdoc copies that bean through a plain JSON mapper, which
	 * cannot read back a schema-valued {@code additionalProperties}.
	 */
	@Bean
	OpenApiCustomizer sharedComponents() {
		return (api) -> {
			Components components = api.getComponents();
			schemas().forEach(components::addSchemas);
			headers().forEach(components::addHeaders);
			responses().forEach(components::addResponses);
		};
	}

	private static SecurityScheme bearerJwt(boolean required) {
		String deployment = required ? "This deployment requires it on every operation."
				: "This deployment runs without an identity provider: it takes no token, and "
						+ "refuses a request with an `Authorization` header (401).";
		return new SecurityScheme().type(SecurityScheme.Type.HTTP)
			.scheme("bearer")
			.bearerFormat("JWT")
			.description("A JWT of the identity provider the service is configured with "
					+ "(`spring.security.oauth2.resourceserver.jwt.*`). Sessions are bound to the "
					+ "token's issuer and subject: another caller gets 404. A token with scope `"
					+ CallerResolver.ADMIN_SCOPE + "` may read, change and terminate any session. " + deployment);
	}

	@SuppressWarnings({ "rawtypes", "unchecked" }) // the OpenAPI model's builders are raw
	private static Map<String, Schema> schemas() {
		Map<String, Schema> schemas = new LinkedHashMap<>();
		schemas.put(key(PROBLEM),
				typed("object").description("An RFC 9457 problem")
					.addProperty("type", typed("string").description("`about:blank`: the status says it all"))
					.addProperty("title", typed("string"))
					.addProperty("status", typed("integer").format("int32"))
					.addProperty("detail", typed("string"))
					.addProperty("instance", typed("string").description("The request path"))
					.addProperty("currentVersion",
							typed("integer").format("int64").description("412 only: the session's version now"))
					.addProperty("limit",
							typed("integer").format("int32")
								.description("429 for too many sessions only: the live sessions a caller may hold"))
					.required(List.of("title", "status")));
		schemas.put(key(SESSION_CREATION), typed("object").description("Every field is optional")
			.addProperty("metadata",
					typed("object").description("Initial metadata: string values only")
						.additionalProperties(typed("string")))
			.addProperty("backends",
					typed("array").description("The member backends, by configured name; all of them when absent")
						.uniqueItems(true)
						.items(typed("string").pattern("^[A-Za-z0-9._-]+$")))
			.additionalProperties(false)
			.example(new TreeMap<>(Map.of("metadata", Map.of("team", "blue"), "backends", List.of("alpha")))));
		schemas.put(key(METADATA_MERGE_PATCH),
				typed("object")
					.description("A JSON merge patch (RFC 7396) over the metadata: "
							+ "a string sets a key, null removes it, keys not named stay")
					.additionalProperties(typed("string").nullable(true))
					.example(Map.of("team", "red")));
		return schemas;
	}

	private static Map<String, Header> headers() {
		Map<String, Header> headers = new LinkedHashMap<>();
		headers.put(key(ETAG),
				new Header().description("The session's version, quoted")
					.required(true)
					.schema(typed("string").pattern("^\"[0-9]+\"$").example("\"3\"")));
		headers.put(key(LOCATION),
				new Header().description("The new session")
					.required(true)
					.schema(typed("string").example(EXAMPLE_PATH)));
		headers.put(key(RETRY_AFTER),
				new Header().description("Seconds to wait before retrying")
					.required(true)
					.schema(typed("integer").minimum(BigDecimal.ZERO).example(1)));
		headers.put(key(WWW_AUTHENTICATE),
				new Header()
					.description("With an identity provider: the bearer challenge, naming the "
							+ "protected resource metadata (RFC 9728)")
					.schema(typed("string")));
		return headers;
	}

	private static Map<String, ApiResponse> responses() {
		Map<String, ApiResponse> responses = new LinkedHashMap<>();
		responses.put(key(BAD_REQUEST),
				problem("A malformed session id, a body that is not what the operation "
						+ "takes (malformed JSON, an unknown field, a value of the wrong type, a backend named twice), "
						+ "an unknown backend, or a malformed If-Match", 400, "Invalid request",
						"Unknown field 'backend'; expected one of [metadata, backends]"));
		responses.put(key(UNAUTHORIZED),
				problem("No valid bearer token, or (without an identity provider) "
						+ "an Authorization header the service cannot verify", 401, "Unauthorized",
						"A valid bearer token is required: Jwt expired")
					.addHeaderObject("WWW-Authenticate", new Header().$ref(WWW_AUTHENTICATE)));
		responses.put(key(NOT_FOUND),
				problem("No such session for this caller: unknown, terminated, expired or another caller's "
						+ "(who learns nothing more, and the session is untouched); or the backend is not "
						+ "one of its members", 404, "Not found", "Session 7kZNX30P… not found"));
		responses.put(key(CONFLICT),
				problem("The session was terminated while it was being created, or "
						+ "so many writers changed it at once that this change could not be applied; retry", 409,
						"Conflict", "Session 7kZNX30P… is changing too fast; try again"));
		responses.put(key(PRECONDITION_FAILED), versionMismatch());
		responses.put(key(CONTENT_TOO_LARGE), problem("The body is over the size limit, or the metadata would be", 413,
				"Too large", "Request bodies are limited to " + RequestSizeLimitFilter.MAX_BODY_BYTES + " bytes"));
		responses.put(key(UNSUPPORTED_MEDIA_TYPE), problem("A Content-Type the operation does not take", 415,
				"Unsupported Media Type", "Content-Type 'application/xml' is not supported"));
		responses.put(key(TOO_MANY_REQUESTS), tooManySessions());
		responses.put(key(SERVICE_UNAVAILABLE),
				problem("The session store is unavailable or too slow; the "
						+ "session is unharmed, retry after Retry-After seconds", 503, "Session store unavailable",
						"The session store is unavailable or too slow; retry shortly")
					.addHeaderObject("Retry-After", new Header().$ref(RETRY_AFTER)));
		return responses;
	}

	private static ApiResponse tooManySessions() {
		Map<String, Object> example = example(429, "Too many sessions",
				"This caller holds 100 live sessions, the most it may; terminate one or retry later");
		example.put("limit", 100);
		return problem("The caller holds as many live sessions as it may (title `Too many sessions`, with "
				+ "`limit`), or creates them faster than it may (title `Too many session creations`); "
				+ "nothing was opened. Retry after Retry-After seconds, or terminate a session", example)
			.addHeaderObject("Retry-After", new Header().$ref(RETRY_AFTER));
	}

	private static ApiResponse versionMismatch() {
		Map<String, Object> example = example(412, "Version mismatch", "Session is at version 4, not 3");
		example.put("currentVersion", 4);
		return problem("If-Match names another version than the session's: someone changed it first", example);
	}

	private static ApiResponse problem(String description, int status, String title, String detail) {
		return problem(description, example(status, title, detail));
	}

	private static ApiResponse problem(String description, Map<String, Object> example) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType(PROBLEM_JSON,
					new MediaType().schema(new Schema<>().$ref(PROBLEM)).example(example)));
	}

	private static Map<String, Object> example(int status, String title, String detail) {
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("type", "about:blank");
		example.put("title", title);
		example.put("status", status);
		example.put("detail", detail);
		example.put("instance", EXAMPLE_PATH);
		return example;
	}

	/**
	 * A schema of the given type (OpenAPI 3.0: see {@code springdoc.api-docs.version}).
	 */
	private static Schema<?> typed(String type) {
		return new Schema<>().type(type);
	}

	/** The name of a component from its reference. */
	private static String key(String ref) {
		return ref.substring(ref.lastIndexOf('/') + 1);
	}

}
