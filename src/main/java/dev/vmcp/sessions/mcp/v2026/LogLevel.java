package dev.vmcp.sessions.mcp.v2026;

import java.util.Locale;
import java.util.Optional;

/**
 * The severities of MCP log messages (those of RFC 5424), from the least to the most
 * severe: a client that asks for one gets messages at that level and above.
 */
enum LogLevel {

	DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL, ALERT, EMERGENCY;

	/** The level named as the specification writes it, if it is one. */
	static Optional<LogLevel> named(String name) {
		for (LogLevel level : values()) {
			if (level.wireName().equals(name)) {
				return Optional.of(level);
			}
		}
		return Optional.empty();
	}

	/** As the specification writes it: {@code warning}. */
	String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether a message at {@code level} reaches a client that asked for this one; a
	 * message whose level is not one of the specification's counts as the least severe.
	 */
	boolean admits(String level) {
		return named(level).orElse(DEBUG).compareTo(this) >= 0;
	}

	/** The lower (more talkative) of the two. */
	LogLevel lower(LogLevel other) {
		return (other.compareTo(this) < 0) ? other : this;
	}

}
