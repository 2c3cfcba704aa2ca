package dev.vmcp.sessions.web;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.vmcp.sessions.testsupport.HttpApi;
import dev.vmcp.sessions.testsupport.HttpApi.Response;
import dev.vmcp.sessions.testsupport.TestPod;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod's API as the document it serves ({@code /v3/api-docs}) describes it. Every
 * request goes over real HTTP, and both the request and the response are checked against
 * that document with Atlassian's OpenAPI validator: a status, header, media type or body
 * the document does not describe for the operation fails the test. It also records which
 * of the documented responses were seen, so that a documented response no request
 * provokes can be noticed.
 */
final class DocumentedApi {

	private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

	private final HttpApi http;

	private final JsonNode document;

	private final OpenApiInteractionValidator validator;

	private final Map<Pattern, String> pathTemplates = new LinkedHashMap<>();

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	private DocumentedApi(HttpApi http, Response served) {
		this.http = http;
		this.document = served.json();
		this.validator = OpenApiInteractionValidator
			.createForInlineApiSpecification(withSecurityOnEachOperation(served.json()).toString())
			.withLevelResolver(LevelResolver.create()
				// What this whole check is for, whatever the validator's default.
				.withLevel("validation.response.status.unknown", ValidationReport.Level.ERROR)
				.withLevel("validation.response.header.missing", ValidationReport.Level.ERROR)
				.withLevel("validation.schema.additionalProperties", ValidationReport.Level.ERROR)
				.withLevel("validation.request.security.missing", ValidationReport.Level.ERROR)
				.build())
			.build();
		this.document.get("paths")
			.propertyNames()
			.forEach((template) -> this.pathTemplates.put(Pattern.compile(template.replaceAll("\\{[^/]+}", "[^/]+")),
					template));
	}

	/**
	 * The document with its top-level security requirements on each operation that has
	 * none of its own, which is what they mean: the validator looks at operations only.
	 */
	private static JsonNode withSecurityOnEachOperation(JsonNode document) {
		JsonNode security = document.get("security");
		if (security != null) {
			document.get("paths")
				.forEach((path) -> path.properties()
					.stream()
					.filter((operation) -> METHODS.contains(operation.getKey()))
					.map((operation) -> (ObjectNode) operation.getValue())
					.filter((operation) -> !operation.has("security"))
					.forEach((operation) -> operation.set("security", security.deepCopy())));
		}
		return document;
	}

	/** The API of {@code pod}, as the document it serves now describes it. */
	static DocumentedApi of(TestPod pod) {
		Response served = pod.http().get("/v3/api-docs");
		assertThat(served.status()).as("GET /v3/api-docs").isEqualTo(200);
		return new DocumentedApi(pod.http(), served);
	}

	JsonNode document() {
		return this.document;
	}

	/**
	 * Sends a request that the document allows; it must be answered with {@code status}
	 * and as the document says.
	 */
	Response conforming(int status, ApiRequest request) {
		assertRequest(request, true);
		return exchange(status, request);
	}

	/**
	 * Sends a request that the document itself rules out (its schemas, patterns, media
	 * types or security): the service must refuse it with {@code status}, as the document
	 * says.
	 */
	Response refused(int status, ApiRequest request) {
		assertRequest(request, false);
		return exchange(status, request);
	}

	/**
	 * Checks a response to {@code request} against the document.
	 * @throws AssertionError when the document does not describe it
	 */
	void assertDocumented(ApiRequest request, Response response) {
		assertDescribed(request, response);
		this.seen.add(key(request.method(), template(request.path()), response.status()));
	}

	/**
	 * Checks each example the document gives, of a request body or of a response, against
	 * the document itself, as if it had been sent or answered.
	 * @return how many examples were checked
	 */
	int assertExamplesConform() {
		int checked = 0;
		for (Map.Entry<String, JsonNode> path : this.document.get("paths").properties()) {
			String concretePath = path.getKey().replaceAll("\\{[^/]+}", "A".repeat(43));
			for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
				ApiRequest request = new ApiRequest(operation.getKey().toUpperCase(Locale.ROOT), concretePath, null,
						Map.of());
				checked += assertRequestExamples(request, operation.getValue().path("requestBody"));
				for (Map.Entry<String, JsonNode> documented : operation.getValue().get("responses").properties()) {
					checked += assertResponseExamples(request, Integer.parseInt(documented.getKey()),
							resolve(documented.getValue()));
				}
			}
		}
		return checked;
	}

	private int assertRequestExamples(ApiRequest request, JsonNode requestBody) {
		int checked = 0;
		for (Map.Entry<String, JsonNode> content : requestBody.path("content").properties()) {
			for (JsonNode example : examples(content.getValue())) {
				assertRequest(request.body(content.getKey(), example.toString()), true);
				checked++;
			}
		}
		return checked;
	}

	private int assertResponseExamples(ApiRequest request, int status, JsonNode documented) {
		int checked = 0;
		for (Map.Entry<String, JsonNode> content : documented.path("content").properties()) {
			for (JsonNode example : examples(content.getValue())) {
				Map<String, List<String>> headers = new LinkedHashMap<>();
				headers.put("Content-Type", List.of(content.getKey()));
				documented.path("headers").properties().forEach((header) -> {
					JsonNode described = resolve(header.getValue());
					if (described.path("required").asBoolean()) {
						headers.put(header.getKey(), List.of(text(described.at("/schema/example"))));
					}
				});
				assertDescribed(request, new Response(status, headers, example.toString()));
				checked++;
			}
		}
		return checked;
	}

	/** The examples of a media type: its own, or its schema's. */
	private List<JsonNode> examples(JsonNode mediaType) {
		JsonNode example = mediaType.has("example") ? mediaType.get("example")
				: resolve(mediaType.path("schema")).get("example");
		return (example != null) ? List.of(example) : List.of();
	}

	private JsonNode resolve(JsonNode node) {
		return node.has("$ref") ? this.document.at(node.get("$ref").asString().substring(1)) : node;
	}

	private static String text(JsonNode value) {
		return value.isString() ? value.asString() : value.toString();
	}

	private void assertDescribed(ApiRequest request, Response response) {
		ValidationReport report = this.validator.validateResponse(request.path(), method(request),
				toValidatorResponse(response));
		assertThat(report.hasErrors())
			.as("%s answered %d %s %s, which the document does not describe:%n%s", request, response.status(),
					response.contentType(), response.body(), SimpleValidationReportFormat.getInstance().apply(report))
			.isFalse();
	}

	/** Every response the document names, as {@code METHOD /path/{template} status}. */
	Set<String> documentedResponses() {
		Set<String> documented = new TreeSet<>();
		this.document.get("paths").properties().forEach((path) -> path.getValue().properties().forEach((operation) -> {
			if (METHODS.contains(operation.getKey())) {
				Iterator<String> statuses = operation.getValue().get("responses").propertyNames().iterator();
				statuses.forEachRemaining(
						(status) -> documented.add(key(operation.getKey(), path.getKey(), Integer.parseInt(status))));
			}
		}));
		return documented;
	}

	/** The documented responses that requests sent through here have provoked. */
	Set<String> seenResponses() {
		return Set.copyOf(this.seen);
	}

	static String key(String method, String template, int status) {
		return method.toUpperCase(Locale.ROOT) + " " + template + " " + status;
	}

	private Response exchange(int status, ApiRequest request) {
		Response response = this.http.send(request.method(), request.path(), request.body(), request.headers());
		assertDocumented(request, response);
		assertThat(response.status()).as("%s answered %s", request, response.body()).isEqualTo(status);
		return response;
	}

	private void assertRequest(ApiRequest request, boolean allowed) {
		ValidationReport report = this.validator.validateRequest(toValidatorRequest(request));
		String messages = SimpleValidationReportFormat.getInstance().apply(report);
		if (allowed) {
			assertThat(report.hasErrors()).as("The document does not allow %s:%n%s", request, messages).isFalse();
		}
		else {
			assertThat(report.hasErrors()).as("The document allows %s, which the service refuses", request).isTrue();
		}
	}

	private String template(String path) {
		return this.pathTemplates.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().matcher(path).matches())
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(path);
	}

	private static Request.Method method(ApiRequest request) {
		return Request.Method.valueOf(request.method());
	}

	private static Request toValidatorRequest(ApiRequest request) {
		SimpleRequest.Builder builder = new SimpleRequest.Builder(method(request), request.path());
		request.headers().forEach(builder::withHeader);
		if (request.body() != null) {
			builder.withBody(request.body());
		}
		return builder.build();
	}

	private static com.atlassian.oai.validator.model.Response toValidatorResponse(Response response) {
		SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.status());
		response.headers().forEach(builder::withHeader);
		if (!response.body().isEmpty()) {
			builder.withBody(response.body());
		}
		return builder.build();
	}

}
