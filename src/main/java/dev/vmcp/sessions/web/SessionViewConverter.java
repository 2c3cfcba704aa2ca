package dev.vmcp.sessions.web;

import java.io.IOException;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link SessionView} as JSON with its {@code Content-Length}: the view is
 * serialized first, then sent in one piece. The general JSON converter streams instead
 * and flushes, which turns every answer of the hot path into a chunked one, with a second
 * write for its last chunk.
 */
final class SessionViewConverter extends AbstractHttpMessageConverter<SessionView> {

	private final ObjectWriter writer;

	SessionViewConverter(JsonMapper jsonMapper) {
		super(MediaType.APPLICATION_JSON);
		this.writer = jsonMapper.writerFor(SessionView.class);
	}

	@Override
	protected boolean supports(Class<?> type) {
		return SessionView.class == type;
	}

	@Override
	protected boolean canRead(MediaType mediaType) {
		return false;
	}

	@Override
	protected SessionView readInternal(Class<? extends SessionView> type, HttpInputMessage input) {
		throw new HttpMessageNotReadableException("A session view is never read", input);
	}

	@Override
	protected void writeInternal(SessionView view, HttpOutputMessage output) throws IOException {
		byte[] json = this.writer.writeValueAsBytes(view);
		output.getHeaders().setContentLength(json.length);
		output.getBody().write(json);
	}

}
