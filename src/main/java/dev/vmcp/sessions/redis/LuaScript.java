package dev.vmcp.sessions.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.core.io.ClassPathResource;

/**
 * A Lua script of the store, read from {@code scripts/<name>.lua} on the class path once,
 * with its SHA-1 for {@code EVALSHA}. Unlike a resource-backed {@code RedisScript}, it
 * never asks the class path again whether the script changed: that question, asked on
 * every call, cost more than the rest of the call.
 *
 * @param source the script's text
 * @param sha1 hex SHA-1 of the text, as Redis names scripts
 */
record LuaScript(String source, String sha1) {

	static LuaScript named(String name) {
		try (InputStream in = new ClassPathResource("scripts/" + name + ".lua").getInputStream()) {
			String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return new LuaScript(source, sha1Of(source));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Lua script " + name + " is missing from the class path", ex);
		}
	}

	private static String sha1Of(String source) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is unavailable", ex);
		}
	}

}
