package dev.vmcp.sessions.backend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads server-sent events off a stream as they arrive (the WHATWG event stream format:
 * {@code field: value} lines, a blank line ends an event, comments start with a colon).
 * Not thread-safe.
 */
final class SseEventReader {

	private final BufferedReader lines;

	SseEventReader(InputStream body) {
		this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
	}

	/** The next event with data, or empty at the end of the stream. */
	Optional<SseEvent> next() throws IOException {
		StringBuilder data = null;
		String id = null;
		String event = null;
		String line;
		while ((line = this.lines.readLine()) != null) {
			if (line.isEmpty()) {
				if (data != null) {
					return Optional.of(new SseEvent(id, event, data.toString()));
				}
				id = null;
				event = null;
				continue;
			}
			if (line.startsWith(":")) {
				continue;
			}
			String field = fieldName(line);
			String value = fieldValue(line, field);
			switch (field) {
				case "data" -> data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
				case "id" -> id = value;
				case "event" -> event = value;
				default -> {
					// retry and unknown fields carry nothing the gateway relays
				}
			}
		}
		return (data == null) ? Optional.empty() : Optional.of(new SseEvent(id, event, data.toString()));
	}

	private static String fieldName(String line) {
		int colon = line.indexOf(':');
		return (colon < 0) ? line : line.substring(0, colon);
	}

	private static String fieldValue(String line, String field) {
		if (line.length() == field.length()) {
			return "";
		}
		String value = line.substring(field.length() + 1);
		return value.startsWith(" ") ? value.substring(1) : value;
	}

}
