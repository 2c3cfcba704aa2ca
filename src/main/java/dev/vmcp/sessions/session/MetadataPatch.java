package dev.vmcp.sessions.session;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A JSON merge patch (RFC 7396) over a session's string metadata: a string value sets a
 * key, {@code null} removes it. Applying it to any version gives the same keys the same
 * values, which is why a patch can be retried on a newer version without losing anyone's
 * update.
 */
public final class MetadataPatch {

	private final Map<String, @Nullable String> changes;

	public MetadataPatch(Map<String, @Nullable String> changes) {
		for (String key : changes.keySet()) {
			if (key.isBlank()) {
				throw new IllegalArgumentException("Metadata keys must not be blank");
			}
		}
		this.changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
	}

	/** The metadata with this patch applied. */
	Map<String, String> applyTo(Map<String, String> metadata) {
		Map<String, String> result = new LinkedHashMap<>(metadata);
		this.changes.forEach((key, value) -> {
			if (value == null) {
				result.remove(key);
			}
			else {
				result.put(key, value);
			}
		});
		return result;
	}

	/** Size of metadata as counted against the limit: UTF-8 bytes of keys and values. */
	static long sizeOf(Map<String, String> metadata) {
		long size = 0;
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			size += entry.getKey().getBytes(StandardCharsets.UTF_8).length;
			size += entry.getValue().getBytes(StandardCharsets.UTF_8).length;
		}
		return size;
	}

	static void requireWithinLimit(Map<String, String> metadata, long limit) {
		long size = sizeOf(metadata);
		if (size > limit) {
			throw new MetadataTooLargeException(size, limit);
		}
	}

}
