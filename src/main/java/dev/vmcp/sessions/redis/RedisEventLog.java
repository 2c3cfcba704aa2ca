package dev.vmcp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.vmcp.sessions.session.EventLog;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.StreamEvent;

/**
 * Keeps clients' stream events in Redis, one Redis stream per client stream,
 * {@code <prefix>events:{<session id>}:<stream>}: the session's hash tag puts it in the
 * slot of the session's record, and the session in the key means a stream is found only
 * through its own session. Each event is one entry, {@code 1-<sequence>}, with its data
 * and whether it ends the stream; one script adds it, drops the oldest beyond the most
 * kept ({@code MAXLEN}) and keeps the stream for the replay window after it
 * ({@code PEXPIRE}). Calls run on Lettuce's shared connection and return at once, like
 * the store's.
 */
public final class RedisEventLog implements EventLog {

	private static final LuaScript APPEND = LuaScript.named("stream-event-append");

	private static final byte[] DATA = bytes("data");

	private static final byte[] LAST = bytes("last");

	private static final String ENDS_STREAM = "1";

	private final LuaScripts scripts;

	private final String keyPrefix;

	private final long windowMillis;

	private final int maxEvents;

	/**
	 * @param window how long a stream is kept after its last event
	 * @param maxEvents most events kept per stream, the oldest dropped first
	 */
	public RedisEventLog(StringRedisTemplate redis, String keyPrefix, Duration window, int maxEvents) {
		if (window.toMillis() < 1) {
			throw new IllegalArgumentException("window must be at least 1 ms, was " + window);
		}
		if (maxEvents < 1) {
			throw new IllegalArgumentException("maxEvents must be at least 1, was " + maxEvents);
		}
		this.scripts = new LuaScripts(redis.getRequiredConnectionFactory());
		this.keyPrefix = keyPrefix;
		this.windowMillis = window.toMillis();
		this.maxEvents = maxEvents;
	}

	/** The Redis key of a session's stream. */
	public String keyOf(SessionId session, String stream) {
		return this.keyPrefix + "events:{" + session.value() + "}:" + stream;
	}

	@Override
	public CompletionStage<Void> append(SessionId session, String stream, StreamEvent event) {
		CompletionStage<Long> added = this.scripts.run(APPEND, ScriptOutputType.INTEGER, keyOf(session, stream),
				Integer.toString(this.maxEvents), entryId(event.sequence()), Long.toString(this.windowMillis),
				event.data(), event.last() ? ENDS_STREAM : "0");
		return added.thenApply((answer) -> null);
	}

	/**
	 * Asks whether the stream exists and for its entries after {@code sequence}, one
	 * command after the other on the shared connection: a stream that expires between the
	 * two is found empty, and found gone on the next read.
	 */
	@Override
	public CompletionStage<Optional<List<StreamEvent>>> after(SessionId session, String stream, long sequence) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.scripts.sharedCommands();
		byte[] key = bytes(keyOf(session, stream));
		CompletableFuture<Long> exists = commands.exists(key).toCompletableFuture();
		CompletableFuture<List<StreamMessage<byte[], byte[]>>> entries = commands
			.xrange(key, Range.from(Range.Boundary.including(entryId(sequence + 1)), Range.Boundary.unbounded()))
			.toCompletableFuture();
		return LuaScripts.translatedFailures(
				exists.thenCombine(entries, (count, found) -> (count == 0) ? Optional.<List<StreamEvent>>empty()
						: Optional.of(found.stream().map(RedisEventLog::event).toList())));
	}

	private static StreamEvent event(StreamMessage<byte[], byte[]> entry) {
		String id = entry.getId();
		long sequence = Long.parseLong(id.substring(id.indexOf('-') + 1));
		return new StreamEvent(sequence, field(entry.getBody(), DATA),
				ENDS_STREAM.equals(field(entry.getBody(), LAST)));
	}

	/** A field of an entry (its map's keys are arrays, compared by content here). */
	private static String field(Map<byte[], byte[]> body, byte[] name) {
		return body.entrySet()
			.stream()
			.filter((field) -> Arrays.equals(field.getKey(), name))
			.findFirst()
			.map((field) -> new String(field.getValue(), StandardCharsets.UTF_8))
			.orElse("");
	}

	/**
	 * Entries are numbered by the events' own sequence, which only grows; Redis takes no
	 * {@code 0-0}, so they start at {@code 1-0}.
	 */
	private static String entryId(long sequence) {
		return "1-" + sequence;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
