package dev.vmcp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.session.AsyncSessionStore;
import dev.vmcp.sessions.session.ExpiryNote;
import dev.vmcp.sessions.session.InvalidSessionIdException;
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
 * the whole record, so that no script has to parse JSON. A session whose expiry is told
 * has an expiry note beside it, {@code <prefix>{<id>}:expiry}, written by the create
 * script and dropped by the terminate script, that outlives the record (see
 * {@link RedisSessionExpiries}); no other script touches it.
 * <p>
 * The asynchronous calls return once their script is sent, on Lettuce's shared
 * connection; the blocking ones wait for the same calls.
 */
public final class RedisSessionStore implements SessionStore, AsyncSessionStore {

	/** Key prefix used when none is configured. */
	public static final String DEFAULT_KEY_PREFIX = "vmcp:session:";

	private static final LuaScript LOAD = LuaScript.named("session-load");

	private static final LuaScript CREATE = LuaScript.named("session-create");

	private static final LuaScript UPDATE = LuaScript.named("session-update");

	private static final LuaScript TERMINATE = LuaScript.named("session-terminate");

	private static final LuaScript CLAIM_EXPIRY = LuaScript.named("session-expiry-claim");

	/**
	 * How long an expiry note outlives its session's absolute expiry: time for Redis to
	 * tell of a key that expired (it removes expired keys in the background, some late).
	 */
	static final Duration EXPIRY_NOTE_GRACE = Duration.ofMinutes(5);

	private static final String EXPIRY_NOTE_SUFFIX = ":expiry";

	/** Where the replica waits block, rarely: never on a request's own thread pool. */
	private static final Executor REPLICA_WAITS = (wait) -> Thread.ofVirtual().name("replica-wait").start(wait);

	private final StringRedisTemplate redis;

	private final LuaScripts scripts;

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
		this.scripts = new LuaScripts(redis.getRequiredConnectionFactory());
		this.codec = new SessionRecordCodec(json);
		this.ttl = ttl;
		this.keyPrefix = keyPrefix;
		this.terminateAcks = terminateAcks;
	}

	@Override
	public boolean create(SessionRecord record) {
		return awaited(createAsync(record));
	}

	@Override
	public LoadResult load(SessionId id, String reader) {
		return awaited(loadAsync(id, reader));
	}

	@Override
	public UpdateOutcome update(SessionRecord next, long expectedVersion) {
		return awaited(updateAsync(next, expectedVersion));
	}

	@Override
	public Optional<SessionRecord> terminate(SessionId id, String owner) {
		return awaited(terminateAsync(id, owner));
	}

	@Override
	public boolean create(SessionRecord record, Optional<ExpiryNote> note) {
		return awaited(createAsync(record, note));
	}

	@Override
	public CompletionStage<Boolean> createAsync(SessionRecord record) {
		return createAsync(record, Optional.empty());
	}

	/** The record and its expiry note, when there is one, in one script. */
	@Override
	public CompletionStage<Boolean> createAsync(SessionRecord record, Optional<ExpiryNote> note) {
		Duration noteTtl = Duration.between(this.ttl.now(), record.expiresAt()).plus(EXPIRY_NOTE_GRACE);
		CompletionStage<Long> created = this.scripts.run(CREATE, ScriptOutputType.INTEGER, keysOf(record.id()),
				SessionRecordCodec.stateName(record.state()), Long.toString(record.version()),
				millis(record.expiresAt()), this.codec.encode(record), millis(record.lastAccess()),
				Long.toString(this.ttl.ttlFor(record).toMillis()), record.owner(),
				note.map(this.codec::encodeNote).orElse(""), Long.toString(noteTtl.toMillis()));
		return created.thenApply((answer) -> answer == 1);
	}

	/**
	 * Takes the expiry note of a session whose record expired: the one pod that gets it
	 * tells the expiry; the others, and anyone after a terminate, get nothing.
	 */
	CompletionStage<Optional<ExpiryNote>> claimExpiryNote(SessionId id) {
		CompletionStage<byte[]> note = this.scripts.run(CLAIM_EXPIRY, ScriptOutputType.VALUE, expiryNoteKeyOf(id));
		return note
			.thenApply((encoded) -> Optional.ofNullable(encoded).map((bytes) -> this.codec.decodeNote(string(bytes))));
	}

	/** The session whose record {@code key} is, if it is one of this store's records. */
	Optional<SessionId> sessionOfKey(String key) {
		if (!key.startsWith(this.keyPrefix + "{") || !key.endsWith("}")) {
			return Optional.empty();
		}
		try {
			return Optional.of(new SessionId(key.substring(this.keyPrefix.length() + 1, key.length() - 1)));
		}
		catch (InvalidSessionIdException ex) {
			return Optional.empty();
		}
	}

	@Override
	public CompletionStage<LoadResult> loadAsync(SessionId id, String reader) {
		CompletionStage<List<byte[]>> fields = this.scripts.run(LOAD, ScriptOutputType.MULTI, keyOf(id),
				millis(this.ttl.now()), Long.toString(this.ttl.idle().toMillis()), reader);
		return fields.thenApply(this::loadResult);
	}

	private LoadResult loadResult(List<byte[]> fields) {
		String state = fields.isEmpty() ? "absent" : string(fields.get(0));
		if ("absent".equals(state)) {
			return new LoadResult.Absent();
		}
		if ("terminated".equals(state)) {
			// A tombstone written by anything but this service may lack its owner:
			// nobody's.
			return new LoadResult.Terminated(Objects.requireNonNullElse(string(fields.get(1)), ""));
		}
		Instant lastAccess = Instant.ofEpochMilli(Long.parseLong(string(fields.get(2))));
		return new LoadResult.Found(this.codec.decode(string(fields.get(1)), lastAccess));
	}

	@Override
	public CompletionStage<UpdateOutcome> updateAsync(SessionRecord next, long expectedVersion) {
		SessionStore.requireSuccessorVersion(next, expectedVersion);
		CompletionStage<byte[]> outcome = this.scripts.run(UPDATE, ScriptOutputType.VALUE, keyOf(next.id()),
				millis(this.ttl.now()), Long.toString(expectedVersion), SessionRecordCodec.stateName(next.state()),
				Long.toString(next.version()), this.codec.encode(next), Long.toString(this.ttl.ttlFor(next).toMillis()),
				millis(next.expiresAt()));
		return outcome.thenApply((answer) -> UpdateOutcome.valueOf(string(answer)));
	}

	@Override
	public CompletionStage<Optional<SessionRecord>> terminateAsync(SessionId id, String owner) {
		Instant now = this.ttl.now();
		String[] arguments = { owner, Long.toString(this.ttl.tombstone().toMillis()), millis(now) };
		CompletionStage<byte[]> replaced = this.terminateAcks.required()
				? CompletableFuture.supplyAsync(() -> terminateAndWaitForReplicas(id, arguments), REPLICA_WAITS)
				: this.scripts.run(TERMINATE, ScriptOutputType.VALUE, keysOf(id), arguments);
		return replaced
			.thenApply((encoded) -> Optional.ofNullable(encoded).map((bytes) -> this.codec.decode(string(bytes), now)));
	}

	/**
	 * The tombstone and a {@code WAIT} travel together in one pipeline, which Lettuce
	 * runs on a connection of its own: the wait covers this write and holds up no one
	 * else's commands on the shared connection.
	 * @throws ReplicationLagException when too few replicas hold the tombstone in time;
	 * it is on the primary, and a retry is safe
	 */
	private byte @Nullable [] terminateAndWaitForReplicas(SessionId id, String[] arguments) {
		List<Object> results;
		try (RedisConnection connection = this.redis.getRequiredConnectionFactory().getConnection()) {
			connection.openPipeline();
			connection.scriptingCommands()
				.eval(bytes(TERMINATE.source()), ReturnType.VALUE, 2, bytes(keyOf(id)), bytes(expiryNoteKeyOf(id)),
						bytes(arguments[0]), bytes(arguments[1]), bytes(arguments[2]));
			((LettuceConnection) connection).execute("WAIT", new IntegerOutput<>(ByteArrayCodec.INSTANCE),
					bytes(Integer.toString(this.terminateAcks.replicas())),
					bytes(Long.toString(this.terminateAcks.timeout().toMillis())));
			results = connection.closePipeline();
		}
		long acknowledged = ((Number) results.get(1)).longValue();
		if (acknowledged < this.terminateAcks.replicas()) {
			throw new ReplicationLagException(acknowledged, this.terminateAcks);
		}
		return (byte[]) results.get(0);
	}

	/** The answer of a call, or its failure as thrown by the call itself. */
	private static <T> T awaited(CompletionStage<T> call) {
		try {
			return call.toCompletableFuture().join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof RuntimeException failure) ? failure : ex;
		}
	}

	private static @Nullable String string(byte @Nullable [] value) {
		return (value != null) ? new String(value, StandardCharsets.UTF_8) : null;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	/** The Redis key of a session. */
	public String keyOf(SessionId id) {
		return this.keyPrefix + "{" + id.value() + "}";
	}

	/**
	 * The key of a session's expiry note: beside its record, in its Cluster slot (the
	 * same hash tag), never taken for a record by {@link #sessionOfKey}.
	 */
	String expiryNoteKeyOf(SessionId id) {
		return keyOf(id) + EXPIRY_NOTE_SUFFIX;
	}

	private List<String> keysOf(SessionId id) {
		return List.of(keyOf(id), expiryNoteKeyOf(id));
	}

	private static String millis(Instant instant) {
		return Long.toString(instant.toEpochMilli());
	}

}
