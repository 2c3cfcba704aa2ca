package dev.vmcp.sessions.mcp.v2025;

import java.util.Optional;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * The ids under which a 2025 client gets the questions a 2026-07-28 member asks during a
 * call: {@code ~<park key>/<round>/<the member's key for the question>}. They name the
 * call parked in the store, so that the client's answer, posted to any pod, reaches the
 * pod that holds the client's stream. Member names never hold a {@code ~}, so they never
 * collide with the ids of members' own requests ({@code <member>/<id>}); park keys never
 * hold a {@code /}.
 */
final class QuestionIds {

	private static final String PREFIX = "~";

	private static final char SEPARATOR = '/';

	private QuestionIds() {
	}

	/** The id of the question the member keyed {@code inputKey}, in that round. */
	static JsonNode of(String parkKey, long round, String inputKey) {
		return StringNode.valueOf(PREFIX + parkKey + SEPARATOR + round + SEPARATOR + inputKey);
	}

	/** The question an id names, if it names one. */
	static Optional<Question> parse(@Nullable JsonNode id) {
		if (id == null || !id.isString() || !id.asString().startsWith(PREFIX)) {
			return Optional.empty();
		}
		String text = id.asString();
		int afterKey = text.indexOf(SEPARATOR);
		int afterRound = (afterKey < 0) ? -1 : text.indexOf(SEPARATOR, afterKey + 1);
		if (afterKey <= PREFIX.length() || afterRound < 0) {
			return Optional.empty();
		}
		try {
			return Optional.of(new Question(text.substring(PREFIX.length(), afterKey),
					Long.parseLong(text.substring(afterKey + 1, afterRound)), text.substring(afterRound + 1)));
		}
		catch (NumberFormatException ex) {
			return Optional.empty();
		}
	}

	/**
	 * What a question's id names.
	 *
	 * @param parkKey the call it belongs to
	 * @param round the round it was asked in (0 for the member's first answer)
	 * @param inputKey the member's key for it in {@code inputRequests}
	 */
	record Question(String parkKey, long round, String inputKey) {
	}

}
