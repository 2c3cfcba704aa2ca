package dev.vmcp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.resilience4j.timelimiter.TimeLimiter;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.vmcp.sessions.session.QuotaDecision;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.SessionQuota;
import dev.vmcp.sessions.session.SessionRecord;
import dev.vmcp.sessions.session.SessionTtl;
import dev.vmcp.sessions.session.TimedCalls;

/**
 * Counts each caller's live sessions in Redis, across every pod: a sorted set per caller,
 * {@code <prefix>caller:{<owner>}}, of its session ids, each scored with the time after
 * which its session may have ended by itself (its idle deadline when it was created,
 * never past its absolute expiry). Reading a session never touches it: the hot path keeps
 * its single Redis call.
 * <p>
 * A reservation is one Lua script on the caller's key, so two pods never both take the
 * caller's last slot. Only when the caller's slots are all taken are the sessions whose
 * time has come checked, each with reads of its own key: in Redis Cluster those keys live
 * in other slots than the caller's, where no script may reach. A session still live (it
 * was used meanwhile) is scored anew, an ended or terminated one leaves, and the
 * reservation is tried once more. A slot of a pod that crashed between reservation and
 * creation therefore comes back after one idle TTL. The caller's key expires with the
 * longest-lived session it may count, so a caller gone for good leaves nothing behind.
 * <p>
 * Every round trip has its own deadline (the {@value #TIME_LIMITER} time limiter) and
 * runs on Lettuce's shared connection, like the store's.
 */
public final class RedisSessionQuota implements SessionQuota {

	/**
	 * TimeLimiter instance name, configurable under resilience4j.timelimiter.instances.
	 */
	public static final String TIME_LIMITER = "session-quota";

	private static final LuaScript RESERVE = LuaScript.named("session-quota-reserve");

	private static final byte[] STATE = bytes("state");

	private static final String TERMINATED = "terminated";

	private final LuaScripts scripts;

	private final RedisSessionStore store;

	private final SessionTtl ttl;

	private final String keyPrefix;

	private final int limit;

	private final TimeLimiter limiter;

	private final TimedCalls timed;

	/**
	 * @param store the store whose sessions are counted
	 * @param limit live sessions allowed per caller
	 */
	public RedisSessionQuota(StringRedisTemplate redis, RedisSessionStore store, SessionTtl ttl, String keyPrefix,
			int limit, TimeLimiter limiter, TimedCalls timed) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1, was " + limit);
		}
		this.scripts = new LuaScripts(redis.getRequiredConnectionFactory());
		this.store = store;
		this.ttl = ttl;
		this.keyPrefix = keyPrefix;
		this.limit = limit;
		this.limiter = limiter;
		this.timed = timed;
	}

	@Override
	public QuotaDecision reserve(SessionRecord session) {
		Answer first = this.timed.await(this.limiter, "quota-reserve", () -> reserveAsync(session, Checked.NONE));
		if (first instanceof Answer.Full full && !full.due().isEmpty()) {
			Checked checked = this.timed.await(this.limiter, "quota-check", () -> check(full.due()));
			return decision(this.timed.await(this.limiter, "quota-reserve", () -> reserveAsync(session, checked)));
		}
		return decision(first);
	}

	@Override
	public void release(String owner, SessionId id) {
		this.timed.await(this.limiter, "quota-release", () -> LuaScripts
			.translatedFailures(this.scripts.sharedCommands().zrem(bytes(indexKeyOf(owner)), bytes(id.value()))));
	}

	/** The Redis key of a caller's index. */
	public String indexKeyOf(String owner) {
		return this.keyPrefix + "caller:{" + owner + "}";
	}

	private CompletionStage<Answer> reserveAsync(SessionRecord session, Checked checked) {
		Instant now = this.ttl.now();
		List<String> arguments = new ArrayList<>(
				List.of(Integer.toString(this.limit), session.id().value(), millis(now.plus(this.ttl.ttlFor(session))),
						Long.toString(Math.max(1, Duration.between(now, session.expiresAt()).toMillis())), millis(now),
						Integer.toString(checked.ended().size())));
		arguments.addAll(checked.ended());
		checked.live().forEach((id, checkAt) -> arguments.addAll(List.of(id, millis(checkAt))));
		CompletionStage<List<byte[]>> answer = this.scripts.run(RESERVE, ScriptOutputType.MULTI,
				indexKeyOf(session.owner()), arguments.toArray(String[]::new));
		return answer.thenApply(Answer::of);
	}

	/**
	 * Reads the state and the remaining life of each session, one pipeline of commands on
	 * the keys' own nodes.
	 */
	private CompletionStage<Checked> check(List<String> ids) {
		RedisClusterAsyncCommands<byte[], byte[]> commands = this.scripts.sharedCommands();
		List<CompletableFuture<byte[]>> states = new ArrayList<>();
		List<CompletableFuture<Long>> remaining = new ArrayList<>();
		List<CompletableFuture<?>> all = new ArrayList<>();
		for (String id : ids) {
			byte[] key = bytes(this.store.keyOf(new SessionId(id)));
			states.add(commands.hget(key, STATE).toCompletableFuture());
			remaining.add(commands.pttl(key).toCompletableFuture());
			all.add(states.getLast());
			all.add(remaining.getLast());
		}
		return LuaScripts.translatedFailures(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
			.thenApply((done) -> Checked.of(ids, states, remaining, this.ttl)));
	}

	private QuotaDecision decision(Answer answer) {
		if (answer instanceof Answer.Full full) {
			Duration wait = Duration.between(this.ttl.now(), full.firstCheck());
			return new QuotaDecision.Full(this.limit, wait.isNegative() ? Duration.ZERO : wait);
		}
		return new QuotaDecision.Reserved();
	}

	private static String millis(Instant instant) {
		return Long.toString(instant.toEpochMilli());
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static String string(byte[] value) {
		return new String(value, StandardCharsets.UTF_8);
	}

	/** What the reservation script answered. */
	private sealed interface Answer {

		static Answer of(List<byte[]> reply) {
			if (string(reply.get(0)).equals("reserved")) {
				return new Reserved();
			}
			Instant firstCheck = Instant.ofEpochMilli((long) Double.parseDouble(string(reply.get(1))));
			return new Full(firstCheck,
					reply.subList(2, reply.size()).stream().map(RedisSessionQuota::string).toList());
		}

		record Reserved() implements Answer {
		}

		/**
		 * @param firstCheck the earliest time a slot may free itself
		 * @param due ids whose time to be checked has come
		 */
		record Full(Instant firstCheck, List<String> due) implements Answer {
		}

	}

	/**
	 * What the checks found.
	 *
	 * @param ended ids of sessions terminated, expired or never created
	 * @param live ids of sessions still live, with when to check them next
	 */
	private record Checked(List<String> ended, Map<String, Instant> live) {

		static final Checked NONE = new Checked(List.of(), Map.of());

		static Checked of(List<String> ids, List<CompletableFuture<byte[]>> states,
				List<CompletableFuture<Long>> remaining, SessionTtl ttl) {
			List<String> ended = new ArrayList<>();
			Map<String, Instant> live = new LinkedHashMap<>();
			Instant now = ttl.now();
			for (int i = 0; i < ids.size(); i++) {
				Optional<Instant> until = liveUntil(states.get(i).join(), remaining.get(i).join(), now, ttl);
				if (until.isPresent()) {
					live.put(ids.get(i), until.get());
				}
				else {
					ended.add(ids.get(i));
				}
			}
			return new Checked(ended, live);
		}

		/**
		 * When a session ends if left unused from now on: the life left on its key (a key
		 * without one, which the store never writes, is given an idle TTL); empty when it
		 * has no key or holds a tombstone.
		 */
		private static Optional<Instant> liveUntil(byte @Nullable [] state, long remainingMillis, Instant now,
				SessionTtl ttl) {
			if (state == null || string(state).equals(TERMINATED) || remainingMillis == -2) {
				return Optional.empty();
			}
			return Optional.of((remainingMillis >= 0) ? now.plusMillis(remainingMillis) : now.plus(ttl.idle()));
		}

	}

}
