package dev.vmcp.sessions.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.context.request.ServletWebRequest;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.session.SessionSnapshot;

/**
 * Writes a session as the API shows it: its JSON in one piece with its
 * {@code Content-Length}, and its version as the {@code ETag}.
 * <p>
 * The operations write their answer themselves instead of returning a
 * {@code ResponseEntity}: Spring MVC then picks a return value handler, negotiates a
 * converter and copies the entity's headers for every answer, which cost more than an
 * eighth of the throughput of the hot path, {@code GET} of a cached session
 * (bench/README.md). The media type was negotiated already: the mapping produces JSON
 * only, so any other {@code Accept} got its 406 before the operation ran.
 */
final class SessionViewWriter {

	private final ObjectWriter writer;

	SessionViewWriter(JsonMapper jsonMapper) {
		this.writer = jsonMapper.writerFor(SessionView.class);
	}

	void write(SessionSnapshot snapshot, int status, HttpServletResponse response) throws IOException {
		byte[] json = this.writer.writeValueAsBytes(SessionView.of(snapshot));
		response.setStatus(status);
		response.setHeader(HttpHeaders.ETAG, etag(snapshot));
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(json.length);
		response.getOutputStream().write(json);
	}

	/**
	 * A 304 with the {@code ETag} when {@code If-None-Match} names the current version.
	 */
	void writeUnlessNotModified(SessionSnapshot snapshot, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		if (!new ServletWebRequest(request, response).checkNotModified(etag(snapshot))) {
			write(snapshot, HttpServletResponse.SC_OK, response);
		}
	}

	private static String etag(SessionSnapshot snapshot) {
		return "\"" + snapshot.record().version() + "\"";
	}

}
