package dev.vmcp.sessions.mcp.v2025;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.vmcp.sessions.mcp.ClientAccepts;
import dev.vmcp.sessions.mcp.JsonRpc;
import dev.vmcp.sessions.mcp.McpEndpoint;
import dev.vmcp.sessions.mcp.McpException;
import dev.vmcp.sessions.security.CallerResolver;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionService;

/**
 * What only 2025 clients send to {@code /mcp} besides POSTs: {@code GET} opens the
 * session's standalone stream, or resumes a stream with {@code Last-Event-ID};
 * {@code DELETE} ends the session.
 */
@RestController
@Hidden
class SessionEndpoint {

	private final SessionService sessions;

	private final CallerResolver callers;

	private final SessionFlow flow;

	private static final String LAST_EVENT_ID = "Last-Event-ID";

	private final StandaloneStreams streams;

	private final StreamReplays replays;

	SessionEndpoint(SessionService sessions, CallerResolver callers, SessionFlow flow, StandaloneStreams streams,
			StreamReplays replays) {
		this.sessions = sessions;
		this.callers = callers;
		this.flow = flow;
		this.streams = streams;
		this.replays = replays;
	}

	@GetMapping(McpEndpoint.PATH)
	void get(HttpServletRequest request, HttpServletResponse response) {
		if (!ClientAccepts.parse(request.getHeader("Accept")).eventStream()) {
			throw new McpException(HttpStatus.NOT_ACCEPTABLE, JsonRpc.INVALID_REQUEST,
					"Accept must allow text/event-stream");
		}
		SessionContext context = this.flow.session(request, this.callers.resolve(request));
		String lastEventId = request.getHeader(LAST_EVENT_ID);
		if (lastEventId != null && !lastEventId.isBlank()) {
			this.replays.resume(context, lastEventId, response);
			return;
		}
		this.streams.serve(context, response);
	}

	@DeleteMapping(McpEndpoint.PATH)
	void delete(HttpServletRequest request, HttpServletResponse response) {
		SessionId id = SessionFlow.sessionId(request);
		SessionFlow.requireSupportedVersion(request);
		this.sessions.terminate(this.callers.resolve(request), id);
		this.streams.end(id);
		response.setStatus(HttpStatus.OK.value());
	}

}
