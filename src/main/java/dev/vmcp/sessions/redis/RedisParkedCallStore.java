package dev.vmcp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.vmcp.sessions.session.ParkedCallStore;

/**
 * Parked calls in Redis, shared by every pod: one hash per call,
 * {@code <prefix>parked:{<id>}}, holding its fields (each under {@code f:}), the rounds
 * resumed so far, and its queue of messages ({@code m:<n>}, between {@code head} and
 * {@code tail}), so that a call is one key in one slot, expires whole and is deleted
 * whole. Claiming a round, queueing and taking a message are each one Lua script. Pods
 * say they are alive with {@code <prefix>pod:{<pod>}}, a key with a short time to live.
 */
public final class RedisParkedCallStore implements ParkedCallStore {

	private static final LuaScript PARK = LuaScript.named("parked-call-park");

	private static final LuaScript CLAIM = LuaScript.named("parked-call-claim");

	private static final LuaScript APPEND = LuaScript.named("parked-call-append");

	private static final LuaScript TAKE = LuaScript.named("parked-call-take");

	private static final String FIELD = "f:";

	private final LuaScripts scripts;

	private final String keyPrefix;

	public RedisParkedCallStore(StringRedisTemplate redis, String keyPrefix) {
		this.scripts = new LuaScripts(redis.getRequiredConnectionFactory());
		this.keyPrefix = keyPrefix;
	}

	/** The key of a parked call. */
	public String keyOf(String id) {
		return this.keyPrefix + "parked:{" + id + "}";
	}

	private String podKeyOf(String pod) {
		return this.keyPrefix + "pod:{" + pod + "}";
	}

	@Override
	public CompletionStage<Boolean> park(String id, Map<String, String> fields, Duration ttl) {
		List<String> arguments = new ArrayList<>(List.of(Long.toString(millis(ttl))));
		fields.forEach((name, value) -> arguments.addAll(List.of(FIELD + name, value)));
		CompletionStage<Long> parked = this.scripts.run(PARK, ScriptOutputType.INTEGER, keyOf(id),
				arguments.toArray(String[]::new));
		return parked.thenApply((answer) -> answer == 1L);
	}

	@Override
	public CompletionStage<Claim> claim(String id, long round, Duration ttl) {
		CompletionStage<List<byte[]>> answer = this.scripts.run(CLAIM, ScriptOutputType.MULTI, keyOf(id),
				Long.toString(round), Long.toString(millis(ttl)));
		return answer.thenApply(RedisParkedCallStore::claim);
	}

	private static Claim claim(List<byte[]> answer) {
		return switch (text(answer.get(0))) {
			case "gone" -> new Claim.Gone();
			case "taken" -> new Claim.Taken();
			default -> new Claim.Claimed(fields(answer.subList(1, answer.size())));
		};
	}

	private static Map<String, String> fields(List<byte[]> pairs) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (int i = 0; i + 1 < pairs.size(); i += 2) {
			String name = text(pairs.get(i));
			if (name.startsWith(FIELD)) {
				fields.put(name.substring(FIELD.length()), text(pairs.get(i + 1)));
			}
		}
		return fields;
	}

	@Override
	public CompletionStage<Boolean> append(String id, String message) {
		CompletionStage<Long> appended = this.scripts.run(APPEND, ScriptOutputType.INTEGER, keyOf(id), message);
		return appended.thenApply((answer) -> answer == 1L);
	}

	@Override
	public CompletionStage<Optional<String>> take(String id) {
		CompletionStage<byte[]> taken = this.scripts.run(TAKE, ScriptOutputType.VALUE, keyOf(id));
		return taken.thenApply((message) -> Optional.ofNullable(message).map(RedisParkedCallStore::text));
	}

	@Override
	public CompletionStage<Optional<Duration>> remaining(String id) {
		return LuaScripts.translatedFailures(this.scripts.sharedCommands().pttl(bytes(keyOf(id))))
			.thenApply((ttl) -> (ttl != null && ttl >= 0) ? Optional.of(Duration.ofMillis(ttl)) : Optional.empty());
	}

	@Override
	public CompletionStage<Boolean> extend(String id, Duration ttl) {
		return LuaScripts.translatedFailures(this.scripts.sharedCommands().pexpire(bytes(keyOf(id)), millis(ttl)))
			.thenApply(Boolean.TRUE::equals);
	}

	@Override
	public CompletionStage<Void> end(String id) {
		return LuaScripts.translatedFailures(this.scripts.sharedCommands().del(bytes(keyOf(id))))
			.thenApply((deleted) -> null);
	}

	@Override
	public CompletionStage<Void> beat(String pod, Duration ttl) {
		return LuaScripts
			.translatedFailures(this.scripts.sharedCommands()
				.set(bytes(podKeyOf(pod)), bytes("alive"), SetArgs.Builder.px(millis(ttl))))
			.thenApply((ok) -> null);
	}

	@Override
	public CompletionStage<Boolean> alive(String pod) {
		return LuaScripts.translatedFailures(this.scripts.sharedCommands().exists(bytes(podKeyOf(pod))))
			.thenApply((count) -> count != null && count > 0);
	}

	private static long millis(Duration ttl) {
		return Math.max(1, ttl.toMillis());
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
