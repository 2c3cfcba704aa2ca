package dev.vmcp.sessions.web;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
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

/**
 * The session REST API.
 */
@RestController
@RequestMapping(path = "/api/v1/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "sessions", description = "Sessions of the virtual MCP server")
class SessionController {

	private static final String MERGE_PATCH_JSON = "application/merge-patch+json";

	private final SessionService sessions;

	private final CallerResolver callers;

	SessionController(SessionService sessions, CallerResolver callers) {
		this.sessions = sessions;
		this.callers = callers;
	}

	/** The body is optional; a request without one carries no Content-Type either. */
	@PostMapping
	@Operation(summary = "Create a session and open one MCP session per member backend")
	ResponseEntity<SessionView> create(HttpServletRequest request,
			@RequestBody(required = false) @Nullable JsonNode body) {
		SessionSnapshot created = this.sessions.create(this.callers.resolve(request), RequestBodies.backends(body),
				RequestBodies.metadata(body));
		return withVersion(ResponseEntity.created(URI.create("/api/v1/sessions/" + created.record().id())), created);
	}

	@GetMapping("/{id}")
	@Operation(summary = "Read a session; reconnects its backends where needed")
	ResponseEntity<SessionView> get(HttpServletRequest request, @PathVariable String id) {
		return withVersion(ResponseEntity.ok(), this.sessions.get(this.callers.resolve(request), new SessionId(id)));
	}

	@PatchMapping(path = "/{id}/metadata", consumes = { MERGE_PATCH_JSON, MediaType.APPLICATION_JSON_VALUE })
	@Operation(summary = "Change metadata with a JSON merge patch; If-Match makes it conditional")
	ResponseEntity<SessionView> patchMetadata(HttpServletRequest request, @PathVariable String id,
			@RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
			@RequestBody JsonNode patch) {
		SessionId sessionId = new SessionId(id);
		SessionSnapshot updated = this.sessions.updateMetadata(this.callers.resolve(request), sessionId,
				RequestBodies.metadataPatch(patch), RequestBodies.ifMatch(ifMatch));
		return withVersion(ResponseEntity.ok(), updated);
	}

	@DeleteMapping("/{id}")
	@Operation(summary = "Terminate a session and end its backends' sessions; idempotent")
	ResponseEntity<Void> terminate(HttpServletRequest request, @PathVariable String id) {
		this.sessions.terminate(this.callers.resolve(request), new SessionId(id));
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{id}/backends/{backend}/expired")
	@Operation(summary = "Report that a backend lost its session; the next use reconnects it")
	ResponseEntity<Void> backendExpired(HttpServletRequest request, @PathVariable String id,
			@PathVariable String backend) {
		this.sessions.backendExpired(this.callers.resolve(request), new SessionId(id), backend);
		return ResponseEntity.noContent().build();
	}

	private static ResponseEntity<SessionView> withVersion(ResponseEntity.BodyBuilder response,
			SessionSnapshot snapshot) {
		return response.eTag("\"" + snapshot.record().version() + "\"").body(SessionView.of(snapshot));
	}

}
