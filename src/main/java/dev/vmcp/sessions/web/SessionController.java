package dev.vmcp.sessions.web;

import java.io.IOException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.vmcp.sessions.security.CallerResolver;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionService;
import dev.vmcp.sessions.session.SessionSnapshot;

import static dev.vmcp.sessions.web.OpenApiConfiguration.BAD_REQUEST;
import static dev.vmcp.sessions.web.OpenApiConfiguration.CONFLICT;
import static dev.vmcp.sessions.web.OpenApiConfiguration.CONTENT_TOO_LARGE;
import static dev.vmcp.sessions.web.OpenApiConfiguration.ETAG;
import static dev.vmcp.sessions.web.OpenApiConfiguration.LOCATION;
import static dev.vmcp.sessions.web.OpenApiConfiguration.METADATA_MERGE_PATCH;
import static dev.vmcp.sessions.web.OpenApiConfiguration.NOT_FOUND;
import static dev.vmcp.sessions.web.OpenApiConfiguration.PRECONDITION_FAILED;
import static dev.vmcp.sessions.web.OpenApiConfiguration.SERVICE_UNAVAILABLE;
import static dev.vmcp.sessions.web.OpenApiConfiguration.SESSION_CREATION;
import static dev.vmcp.sessions.web.OpenApiConfiguration.TOO_MANY_REQUESTS;
import static dev.vmcp.sessions.web.OpenApiConfiguration.UNAUTHORIZED;
import static dev.vmcp.sessions.web.OpenApiConfiguration.UNSUPPORTED_MEDIA_TYPE;

/**
 * The session REST API. The annotations describe what each operation answers; the
 * responses all operations share are on the class, the shared parts of the document in
 * {@link OpenApiConfiguration}.
 */
@RestController
@RequestMapping(path = "/api/v1/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "sessions", description = "Sessions of the virtual MCP server")
@ApiResponse(responseCode = "400", ref = BAD_REQUEST)
@ApiResponse(responseCode = "401", ref = UNAUTHORIZED)
@ApiResponse(responseCode = "503", ref = SERVICE_UNAVAILABLE)
class SessionController {

	private static final String MERGE_PATCH_JSON = "application/merge-patch+json";

	private static final String ID = "The session id";

	private static final String ID_PATTERN = "^" + SessionId.PATTERN + "$";

	/** What {@link RequestBodies#ifMatch} reads. */
	private static final String IF_MATCH_PATTERN = "^(\\*|(W/)?\"[0-9]+\")$";

	private final SessionService sessions;

	private final CallerResolver callers;

	private final SessionViewWriter views;

	SessionController(SessionService sessions, CallerResolver callers, SessionViewWriter views) {
		this.sessions = sessions;
		this.callers = callers;
		this.views = views;
	}

	/** The body is optional; a request without one carries no Content-Type either. */
	@PostMapping
	@Operation(summary = "Create a session and open one MCP session per member backend",
			description = "The member backends are initialized in parallel; one that fails is `failed` "
					+ "and the session is still created.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "Optional",
					content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
							schema = @Schema(ref = SESSION_CREATION))))
	@ApiResponse(responseCode = "201", description = "The new session",
			headers = { @Header(name = HttpHeaders.LOCATION, ref = LOCATION),
					@Header(name = HttpHeaders.ETAG, ref = ETAG) },
			content = @Content(schema = @Schema(implementation = SessionView.class)))
	@ApiResponse(responseCode = "409", ref = CONFLICT)
	@ApiResponse(responseCode = "413", ref = CONTENT_TOO_LARGE)
	@ApiResponse(responseCode = "415", ref = UNSUPPORTED_MEDIA_TYPE)
	@ApiResponse(responseCode = "429", ref = TOO_MANY_REQUESTS)
	void create(HttpServletRequest request, HttpServletResponse response,
			@RequestBody(required = false) @Nullable JsonNode body) throws IOException {
		SessionSnapshot created = this.sessions.create(this.callers.resolve(request), RequestBodies.backends(body),
				RequestBodies.metadata(body));
		response.setHeader(HttpHeaders.LOCATION, "/api/v1/sessions/" + created.record().id());
		this.views.write(created, HttpServletResponse.SC_CREATED, response);
	}

	@GetMapping("/{id}")
	@Operation(summary = "Read a session; reconnects its backends where needed")
	@Parameter(name = HttpHeaders.IF_NONE_MATCH, in = ParameterIn.HEADER,
			description = "An ETag of the session: 304 when it is still the current one",
			schema = @Schema(type = "string", example = "\"3\""))
	@ApiResponse(responseCode = "200", description = "The session",
			headers = @Header(name = HttpHeaders.ETAG, ref = ETAG),
			content = @Content(schema = @Schema(implementation = SessionView.class)))
	@ApiResponse(responseCode = "304", description = "Not modified since the version If-None-Match names",
			headers = @Header(name = HttpHeaders.ETAG, ref = ETAG), content = @Content)
	@ApiResponse(responseCode = "404", ref = NOT_FOUND)
	void get(HttpServletRequest request, HttpServletResponse response,
			@Parameter(description = ID, schema = @Schema(pattern = ID_PATTERN)) @PathVariable String id)
			throws IOException {
		this.views.writeUnlessNotModified(this.sessions.get(this.callers.resolve(request), new SessionId(id)), request,
				response);
	}

	@PatchMapping(path = "/{id}/metadata", consumes = { MERGE_PATCH_JSON, MediaType.APPLICATION_JSON_VALUE })
	@Operation(summary = "Change metadata with a JSON merge patch; If-Match makes it conditional",
			description = "Without If-Match, concurrent patches are all applied.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = { @Content(mediaType = MERGE_PATCH_JSON, schema = @Schema(ref = METADATA_MERGE_PATCH)),
							@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
									schema = @Schema(ref = METADATA_MERGE_PATCH)) }))
	@Parameter(name = HttpHeaders.IF_MATCH, in = ParameterIn.HEADER,
			description = "The ETag of the version the patch applies to; `*` for any",
			schema = @Schema(pattern = IF_MATCH_PATTERN, example = "\"3\""))
	@ApiResponse(responseCode = "200", description = "The session with its new metadata",
			headers = @Header(name = HttpHeaders.ETAG, ref = ETAG),
			content = @Content(schema = @Schema(implementation = SessionView.class)))
	@ApiResponse(responseCode = "404", ref = NOT_FOUND)
	@ApiResponse(responseCode = "409", ref = CONFLICT)
	@ApiResponse(responseCode = "412", ref = PRECONDITION_FAILED)
	@ApiResponse(responseCode = "413", ref = CONTENT_TOO_LARGE)
	@ApiResponse(responseCode = "415", ref = UNSUPPORTED_MEDIA_TYPE)
	void patchMetadata(HttpServletRequest request, HttpServletResponse response,
			@Parameter(description = ID, schema = @Schema(pattern = ID_PATTERN)) @PathVariable String id,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
			@RequestBody JsonNode patch) throws IOException {
		SessionId sessionId = new SessionId(id);
		SessionSnapshot updated = this.sessions.updateMetadata(this.callers.resolve(request), sessionId,
				RequestBodies.metadataPatch(patch), RequestBodies.ifMatch(ifMatch));
		this.views.write(updated, HttpServletResponse.SC_OK, response);
	}

	@DeleteMapping("/{id}")
	@Operation(summary = "Terminate a session and end its backends' sessions; idempotent",
			description = "Terminating a terminated session answers 204 again.")
	@ApiResponse(responseCode = "204", description = "Terminated")
	@ApiResponse(responseCode = "404", ref = NOT_FOUND)
	ResponseEntity<Void> terminate(HttpServletRequest request,
			@Parameter(description = ID, schema = @Schema(pattern = ID_PATTERN)) @PathVariable String id) {
		this.sessions.terminate(this.callers.resolve(request), new SessionId(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/backends/{backend}/expired")
	@Operation(summary = "Report that a backend lost its session; the next use reconnects it",
			description = "The backend stays a member; the next use on any instance initializes it again.")
	@ApiResponse(responseCode = "204", description = "Recorded")
	@ApiResponse(responseCode = "404", ref = NOT_FOUND)
	@ApiResponse(responseCode = "409", ref = CONFLICT)
	ResponseEntity<Void> backendExpired(HttpServletRequest request,
			@Parameter(description = ID, schema = @Schema(pattern = ID_PATTERN)) @PathVariable String id,
			@Parameter(description = "A member backend, by configured name") @PathVariable String backend) {
		this.sessions.backendExpired(this.callers.resolve(request), new SessionId(id), backend);
		return ResponseEntity.noContent().build();
	}

}
