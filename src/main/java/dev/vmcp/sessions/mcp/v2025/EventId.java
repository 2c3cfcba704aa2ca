package dev.vmcp.sessions.mcp.v2025;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id of an event on a 2025 client's stream, {@code <stream>:<sequence>}: the stream
 * names itself, so that any pod finds the events a client missed from its
 * {@code Last-Event-ID} and its session alone. A stream's name is random (unique within
 * the session and beyond), and says whether the stream answers a request or is the
 * session's standalone stream.
 *
 * @param stream the stream's name
 * @param sequence the event's place in it: 0 for the priming event, then 1, 2, ...
 */
record EventId(String stream, long sequence) {

	private static final char REQUEST = 'r';

	private static final char STANDALONE = 's';

	private static final int RANDOM_BYTES = 16;

	private static final Pattern FORMAT = Pattern.compile("([rs][A-Za-z0-9_-]{22}):(0|[1-9][0-9]{0,17})");

	private static final SecureRandom RANDOM = new SecureRandom();

	/** The name of a new stream that answers a request. */
	static String newRequestStream() {
		return REQUEST + randomName();
	}

	/** The name of a new standalone stream ({@code GET}). */
	static String newStandaloneStream() {
		return STANDALONE + randomName();
	}

	/**
	 * The id a client sent back.
	 * @return empty when it is not one of the gateway's event ids
	 */
	static Optional<EventId> parse(String text) {
		Matcher matcher = FORMAT.matcher(text.strip());
		if (!matcher.matches()) {
			return Optional.empty();
		}
		return Optional.of(new EventId(matcher.group(1), Long.parseLong(matcher.group(2))));
	}

	/** Whether the stream answers a request (else it is a standalone stream). */
	boolean answersRequest() {
		return this.stream.charAt(0) == REQUEST;
	}

	/** The id of another event of the same stream. */
	EventId at(long otherSequence) {
		return new EventId(this.stream, otherSequence);
	}

	@Override
	public String toString() {
		return this.stream + ":" + this.sequence;
	}

	private static String randomName() {
		byte[] random = new byte[RANDOM_BYTES];
		RANDOM.nextBytes(random);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

}
