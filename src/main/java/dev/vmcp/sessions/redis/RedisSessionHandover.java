package dev.vmcp.sessions.redis;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.vmcp.sessions.session.InvalidSessionIdException;
import dev.vmcp.sessions.session.SessionHandover;
import dev.vmcp.sessions.session.SessionId;

/**
 * Sessions handed over through a Redis list ({@code <key prefix>handover}): the pod that
 * stops appends their ids and publishes one notice on the channel of the same name; every
 * other pod then pops ids until the list is empty, so that each id goes to exactly one
 * pod, and the pods that pop fastest take the most. The list lives for one idle TTL,
 * after which every record it names has expired anyway: a pod that starts meanwhile takes
 * what nobody took.
 */
public final class RedisSessionHandover implements SessionHandover {

	/** The list's and the channel's name after the key prefix. */
	public static final String NAME = "handover";

	/** Ids appended, and popped, per command. */
	static final int BATCH = 500;

	private static final Logger logger = LoggerFactory.getLogger(RedisSessionHandover.class);

	private final StringRedisTemplate redis;

	private final RedisMessageListenerContainer container;

	private final String key;

	private final Duration keptFor;

	private final Executor executor;

	/**
	 * @param keptFor how long handed-over ids wait for a pod to take them: the sessions'
	 * idle TTL
	 * @param executor where the list is written and read; it blocks on Redis
	 */
	public RedisSessionHandover(StringRedisTemplate redis, RedisMessageListenerContainer container, String keyPrefix,
			Duration keptFor, Executor executor) {
		this.redis = redis;
		this.container = container;
		this.key = keyPrefix + NAME;
		this.keptFor = keptFor;
		this.executor = executor;
	}

	@Override
	public void handOver(Collection<SessionId> ids, Duration within) {
		if (ids.isEmpty()) {
			return;
		}
		List<String> values = ids.stream().map(SessionId::value).toList();
		try {
			CompletableFuture.runAsync(() -> append(values), this.executor)
				.get(within.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.warn("Could not hand {} sessions over to the other pods within {} ms: {}", ids.size(),
					within.toMillis(), ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void append(List<String> values) {
		for (int from = 0; from < values.size(); from += BATCH) {
			this.redis.opsForList().rightPushAll(this.key, values.subList(from, Math.min(values.size(), from + BATCH)));
		}
		this.redis.expire(this.key, this.keptFor);
		this.redis.convertAndSend(this.key, Integer.toString(values.size()));
	}

	@Override
	public void onHandover(Consumer<SessionId> taker) {
		this.container.addMessageListener((message, pattern) -> takeAll(taker), new ChannelTopic(this.key));
		this.executor.execute(() -> takeAll(taker));
	}

	private void takeAll(Consumer<SessionId> taker) {
		try {
			List<String> taken;
			do {
				taken = this.redis.opsForList().leftPop(this.key, BATCH);
				if (taken != null) {
					taken.forEach((value) -> take(value, taker));
				}
			}
			while (taken != null && taken.size() == BATCH);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not take the sessions another pod handed over: {}", ex.getMessage());
		}
	}

	private static void take(String value, Consumer<SessionId> taker) {
		try {
			taker.accept(new SessionId(value));
		}
		catch (InvalidSessionIdException ex) {
			// not one of ours: someone else writes to the list; ignore it
		}
	}

}
