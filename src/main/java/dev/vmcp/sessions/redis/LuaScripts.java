package dev.vmcp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceExceptionConverter;

/**
 * Sends the store's Lua scripts on Lettuce's shared connection and returns at once: the
 * caller decides how long to wait. {@code EVALSHA} first, {@code EVAL} when Redis does
 * not know the script (after a restart or a {@code SCRIPT FLUSH}), as Spring's script
 * executor does. Lettuce's exceptions become Spring's {@link DataAccessException}s, as
 * the template would have translated them.
 */
final class LuaScripts {

	private static final LettuceExceptionConverter EXCEPTIONS = new LettuceExceptionConverter();

	private final LettuceConnectionFactory connections;

	LuaScripts(RedisConnectionFactory connections) {
		if (!(connections instanceof LettuceConnectionFactory lettuce) || !lettuce.getShareNativeConnection()) {
			// A pooled connection would go back to its pool while its command is in
			// flight.
			throw new IllegalStateException(
					"The Redis session store needs Lettuce with its shared native connection, not a pool");
		}
		this.connections = lettuce;
	}

	/**
	 * Runs a script on one key.
	 * @param <T> what Lettuce makes of the answer for {@code output}: {@code Long} for
	 * INTEGER, {@code byte[]} (or {@code null}) for VALUE, {@code List<byte[]>} for MULTI
	 */
	<T> CompletionStage<T> run(LuaScript script, ScriptOutputType output, String key, String... arguments) {
		return run(script, output, List.of(key), arguments);
	}

	/**
	 * Runs a script on several keys (of one Cluster slot).
	 * @see #run(LuaScript, ScriptOutputType, String, String...)
	 */
	<T> CompletionStage<T> run(LuaScript script, ScriptOutputType output, List<String> keyNames, String... arguments) {
		byte[][] keys = new byte[keyNames.size()][];
		for (int i = 0; i < keys.length; i++) {
			keys[i] = bytes(keyNames.get(i));
		}
		byte[][] values = new byte[arguments.length][];
		for (int i = 0; i < arguments.length; i++) {
			values[i] = bytes(arguments[i]);
		}
		RedisClusterAsyncCommands<byte[], byte[]> commands = sharedCommands();
		CompletionStage<T> sent = commands.evalsha(script.sha1(), output, keys, values);
		return sent
			.exceptionallyCompose((failure) -> (unwrapped(failure) instanceof RedisNoScriptException)
					? commands.eval(script.source(), output, keys, values) : CompletableFuture.failedStage(failure))
			.exceptionallyCompose((failure) -> CompletableFuture.failedStage(translated(unwrapped(failure))));
	}

	/**
	 * Lettuce's commands on the factory's shared connection, for plain commands sent
	 * beside the scripts (through {@link #translatedFailures}). Closing the Spring
	 * connection around it leaves the shared one open, and commands sent on it stay in
	 * flight.
	 */
	RedisClusterAsyncCommands<byte[], byte[]> sharedCommands() {
		try (RedisConnection connection = this.connections.getConnection()) {
			return ((LettuceConnection) connection).getNativeConnection();
		}
	}

	/** A call's failures as Spring's exceptions, as the scripts report theirs. */
	static <T> CompletionStage<T> translatedFailures(CompletionStage<T> call) {
		return call.exceptionallyCompose((failure) -> CompletableFuture.failedStage(translated(unwrapped(failure))));
	}

	private static Throwable unwrapped(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	private static DataAccessException translated(Throwable failure) {
		if (failure instanceof DataAccessException translated) {
			return translated;
		}
		DataAccessException translated = (failure instanceof Exception exception) ? EXCEPTIONS.convert(exception)
				: null;
		if (translated == null || translated.getClass() == RedisSystemException.class) {
			// The converter's catch-all says only "Redis exception"; say what Redis or
			// Lettuce said ("Currently not connected", "Request queue size exceeded").
			return new RedisSystemException("Redis call failed: " + failure.getMessage(), failure);
		}
		return translated;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
