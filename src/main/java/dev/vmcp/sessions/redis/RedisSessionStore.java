package dev.vmcp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.session.LoadResult;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionRecord;
import dev.vmcp.sessions.session.SessionStore;
import dev.vmcp.sessions.session.SessionTtl;
import dev.vmcp.sessions.session.UpdateOutcome;

/**
 * Keeps each session in one Redis hash, {@code <prefix>{<id>}}: the hash tag puts every
 * key of a session in one Cluster slot. Each operation is one Lua script, so it is atomic
 * and costs one round trip.
 * <p>
 * The hash holds the fields the scripts decide on ({@code state}, {@code version},
 * {@code expiresAt}, {@code lastAccess}, {@code owner} on tombstones) beside the JSON of
 * the whole record, so that no script has to parse JSON.
 */
public final class RedisSessionStore implements SessionStore {

	/** Key prefix used when none is configured. */
	public static final String DEFAULT_KEY_PREFIX = "vmcp:session:";

	private static final RedisScript<List> LOAD = script("session-load", List.class);

	private static final RedisScript<Long> CREATE = script("session-create", Long.class);

	private static final RedisScript<String> UPDATE = script("session-update", String.class);

	private static final RedisScript<String> TERMINATE = script("session-terminate", String.class);

	private final StringRedisTemplate redis;

	private final SessionRecordCodec codec;

	private final SessionTtl ttl;

	private final String keyPrefix;

	private final ReplicaAcks terminateAcks;

	public RedisSessionStore(StringRedisTemplate redis, JsonMapper json, SessionTtl ttl, String keyPrefix) {
		this(redis, json, ttl, keyPrefix, ReplicaAcks.NONE);
	}

	/**
	 * @param terminateAcks replicas that must hold a tombstone before a terminate is
	 * acknowledged
	 */
	public RedisSessionStore(StringRedisTemplate redis, JsonMapper json, SessionTtl ttl, String keyPrefix,
			ReplicaAcks terminateAcks) {
		this.redis = redis;
		this.codec = new SessionRecordCodec(json);
		this.ttl = ttl;
		this.keyPrefix = keyPrefix;
		this.terminateAcks = terminateAcks;
	}

	@Override
	public boolean create(SessionRecord record) {
		Long created = this.redis.execute(CREATE, keys(record.id()), SessionRecordCodec.stateName(record.state()),
				Long.toString(record.version()), millis(record.expiresAt()), this.codec.encode(record),
				millis(record.lastAccess()), Long.toString(this.ttl.ttlFor(record).toMillis()), record.owner());
		return Long.valueOf(1).equals(created);
	}

	@Override
	public LoadResult load(SessionId id, String reader) {
		List<?> fields = this.redis.execute(LOAD, keys(id), millis(this.ttl.now()),
				Long.toString(this.ttl.idle().toMillis()), reader);
		if (fields == null || fields.isEmpty() || "absent".equals(fields.get(0))) {
			return new LoadResult.Absent();
		}
		if ("terminated".equals(fields.get(0))) {
			// A tombstone written by anything but this service may lack its owner:
			// nobody's.
			return new LoadResult.Terminated(Objects.requireNonNullElse((String) fields.get(1), ""));
		}
		Instant lastAccess = Instant.ofEpochMilli(Long.parseLong((String) fields.get(2)));
		return new LoadResult.Found(this.codec.decode((String) fields.get(1), lastAccess));
	}

	@Override
	public UpdateOutcome update(SessionRecord next, long expectedVersion) {
		SessionStore.requireSuccessorVersion(next, expectedVersion);
		String outcome = this.redis.execute(UPDATE, keys(next.id()), millis(this.ttl.now()),
				Long.toString(expectedVersion), SessionRecordCodec.stateName(next.state()),
				Long.toString(next.version()), this.codec.encode(next),
				Long.toString(this.ttl.ttlFor(next).toMillis()));
		return UpdateOutcome.valueOf(outcome);
	}

	@Override
	public Optional<SessionRecord> terminate(SessionId id, String owner) {
		Instant now = this.ttl.now();
		String[] arguments = { owner, Long.toString(this.ttl.tombstone().toMillis()), millis(now) };
		String replaced = this.terminateAcks.required() ? terminateAndWaitForReplicas(id, arguments)
				: this.redis.execute(TERMINATE, keys(id), (Object[]) arguments);
		return Optional.ofNullable(replaced).map((encoded) -> this.codec.decode(encoded, now));
	}

	/**
	 * The tombstone and a {@code WAIT} travel together in one pipeline, which Lettuce
	 * runs on a connection of its own: the wait covers this write and holds up no one
	 * else's commands on the shared connection.
	 * @throws ReplicationLagException when too few replicas hold the tombstone in time;
	 * it is on the primary, and a retry is safe
	 */
	private @Nullable String terminateAndWaitForReplicas(SessionId id, String[] arguments) {
		List<Object> results;
		try (RedisConnection connection = this.redis.getRequiredConnectionFactory().getConnection()) {
			connection.openPipeline();
			connection.scriptingCommands()
				.eval(bytes(TERMINATE.getScriptAsString()), ReturnType.VALUE, 1, bytes(keyOf(id)), bytes(arguments[0]),
						bytes(arguments[1]), bytes(arguments[2]));
			((LettuceConnection) connection).execute("WAIT", new IntegerOutput<>(ByteArrayCodec.INSTANCE),
					bytes(Integer.toString(this.terminateAcks.replicas())),
					bytes(Long.toString(this.terminateAcks.timeout().toMillis())));
			results = connection.closePipeline();
		}
		long acknowledged = ((Number) results.get(1)).longValue();
		if (acknowledged < this.terminateAcks.replicas()) {
			throw new ReplicationLagException(acknowledged, this.terminateAcks);
		}
		byte[] replaced = (byte[]) results.get(0);
		return (replaced != null) ? new String(replaced, StandardCharsets.UTF_8) : null;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** The Redis key of a session. */
	public String keyOf(SessionId id) {
		return this.keyPrefix + "{" + id.value() + "}";
	}

	private List<String> keys(SessionId id) {
		return List.of(keyOf(id));
	}

	private static String millis(Instant instant) {
		return Long.toString(instant.toEpochMilli());
	}

	private static <T> RedisScript<T> script(String name, Class<T> resultType) {
		return RedisScript.of(new ClassPathResource("scripts/" + name + ".lua"), resultType);
	}

}
