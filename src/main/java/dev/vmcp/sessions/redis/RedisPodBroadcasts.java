package dev.vmcp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.InvalidSessionIdException;
import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.session.SessionId;

/**
 * Broadcasts on Redis channels ({@code <key prefix><topic>}; message: the session id,
 * then a space and the detail if there is one), published in the background so that a
 * slow Redis holds up no caller: a failed publish is logged, and each use has its own
 * fallback.
 */
public final class RedisPodBroadcasts implements PodBroadcasts {

	private static final Logger logger = LoggerFactory.getLogger(RedisPodBroadcasts.class);

	private final StringRedisTemplate redis;

	private final RedisMessageListenerContainer container;

	private final String channelPrefix;

	private final Executor executor;

	public RedisPodBroadcasts(StringRedisTemplate redis, RedisMessageListenerContainer container, String keyPrefix,
			Executor executor) {
		this.redis = redis;
		this.container = container;
		this.channelPrefix = keyPrefix;
		this.executor = executor;
	}

	/** The channel of a topic. */
	public static String channelFor(String keyPrefix, String topic) {
		return keyPrefix + topic;
	}

	@Override
	public void publish(String topic, SessionId id, String detail) {
		this.executor.execute(() -> send(topic, id, detail));
	}

	@Override
	public void publishAll(String topic, Map<SessionId, String> details, Duration within) {
		CompletableFuture<?>[] sent = details.entrySet()
			.stream()
			.map((message) -> CompletableFuture.runAsync(() -> send(topic, message.getKey(), message.getValue()),
					this.executor))
			.toArray(CompletableFuture[]::new);
		try {
			CompletableFuture.allOf(sent).get(within.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.warn("Could not broadcast {} of every session within {} ms", topic, within.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void send(String topic, SessionId id, String detail) {
		try {
			this.redis.convertAndSend(channelFor(this.channelPrefix, topic),
					detail.isEmpty() ? id.value() : id.value() + " " + detail);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not broadcast {} of session {}: {}", topic, Abbreviated.of(id), ex.getMessage());
		}
	}

	@Override
	public void subscribe(String topic, Listener listener) {
		this.container.addMessageListener((message, pattern) -> {
			String body = new String(message.getBody(), StandardCharsets.UTF_8);
			int space = body.indexOf(' ');
			try {
				listener.received(new SessionId((space < 0) ? body : body.substring(0, space)),
						(space < 0) ? "" : body.substring(space + 1));
			}
			catch (InvalidSessionIdException ex) {
				// not one of ours: someone else publishes on the channel; ignore it
			}
		}, new ChannelTopic(channelFor(this.channelPrefix, topic)));
	}

}
