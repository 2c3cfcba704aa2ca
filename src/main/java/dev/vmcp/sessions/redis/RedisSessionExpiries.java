package dev.vmcp.sessions.redis;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.ExpiryNote;
import dev.vmcp.sessions.session.SessionEvents;
import dev.vmcp.sessions.session.SessionId;

/**
 * Tells {@link SessionEvents#expired} of the sessions whose record Redis let expire: no
 * pod sees a TTL lapse, so each listens to Redis's notifications of expired keys
 * ({@code __keyevent@<db>__:expired}). Every pod is told of every key; the one that takes
 * the session's expiry note first (an atomic get-and-delete) writes the event, the others
 * find no note. A terminated session's note was dropped with it, so its tombstone's
 * expiry tells nothing. Nothing here runs on a request's path.
 * <p>
 * Redis sends these notifications only with {@code notify-keyspace-events} holding
 * {@code E} and {@code x}: {@link #enableNotifications} adds them where the pods may
 * configure Redis. A Redis Cluster notifies on each primary of its own keys: there the
 * pods listen on every primary. A notification that arrives while no pod is connected is
 * lost (Redis pub/sub keeps nothing): the event is then not written.
 */
public final class RedisSessionExpiries implements MessageListener, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RedisSessionExpiries.class);

	private static final String NOTIFY_KEYSPACE_EVENTS = "notify-keyspace-events";

	/** Redis Cluster has database 0 alone. */
	private static final String CLUSTER_CHANNEL = channel(0);

	/**
	 * Where events are written: never on Lettuce's I/O threads, whatever the appender.
	 */
	private static final Executor TELLING = (task) -> Thread.ofVirtual().name("session-expiry").start(task);

	private final RedisSessionStore store;

	private final SessionEvents events;

	private @Nullable StatefulRedisClusterPubSubConnection<String, String> clusterListener;

	public RedisSessionExpiries(RedisSessionStore store, SessionEvents events) {
		this.store = store;
		this.events = events;
	}

	/** Listens on {@code container} to the expired keys of database {@code database}. */
	public void listen(RedisMessageListenerContainer container, int database) {
		container.addMessageListener(this, new ChannelTopic(channel(database)));
	}

	/**
	 * Listens to the expired keys of every primary of a Redis Cluster, each of which
	 * notifies only of its own keys, on a pub/sub connection of its own (closed with
	 * this). The primaries are those known now: one promoted later is not listened to
	 * until the pod restarts.
	 * @param configure whether to make each primary notify expired keys first
	 */
	public synchronized void listenOnEveryPrimary(RedisClusterClient cluster, boolean configure) {
		if (configure) {
			try (StatefulRedisClusterConnection<String, String> connection = cluster.connect()) {
				connection.sync().upstream().asMap().values().forEach(RedisSessionExpiries::enableNotifications);
			}
			catch (RuntimeException ex) {
				warnNotConfigured(ex);
			}
		}
		try {
			this.clusterListener = subscribeOnEveryPrimary(cluster);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not listen to the expired keys of the Redis Cluster ({}); sessions that expire get "
					+ "no audit event until this pod restarts", ex.getMessage());
		}
	}

	private StatefulRedisClusterPubSubConnection<String, String> subscribeOnEveryPrimary(RedisClusterClient cluster) {
		StatefulRedisClusterPubSubConnection<String, String> listener = cluster.connectPubSub();
		listener.setNodeMessagePropagation(true);
		listener.addListener(new RedisClusterPubSubAdapter<>() {

			@Override
			public void message(RedisClusterNode node, String channel, String key) {
				expired(key);
			}

		});
		try {
			listener.sync().upstream().commands().subscribe(CLUSTER_CHANNEL);
			return listener;
		}
		catch (RuntimeException ex) {
			listener.close();
			throw ex;
		}
	}

	@Override
	public synchronized void close() {
		if (this.clusterListener != null) {
			this.clusterListener.close();
			this.clusterListener = null;
		}
	}

	@Override
	public void onMessage(Message message, byte @Nullable [] pattern) {
		expired(new String(message.getBody(), StandardCharsets.UTF_8));
	}

	private void expired(String key) {
		this.store.sessionOfKey(key).ifPresent(this::claim);
	}

	private void claim(SessionId id) {
		this.store.claimExpiryNote(id).whenCompleteAsync((note, failure) -> {
			if (failure != null) {
				logger.warn("Could not take the expiry note of session {}: {}", Abbreviated.of(id),
						failure.getMessage());
			}
			else {
				note.ifPresent((taken) -> tell(id, taken));
			}
		}, TELLING);
	}

	private void tell(SessionId id, ExpiryNote note) {
		try {
			this.events.expired(id, note);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not tell the expiry of session {}: {}", Abbreviated.of(id), ex.getMessage());
		}
	}

	/**
	 * Makes Redis notify expired keys: adds {@code E} (key-event notifications) and
	 * {@code x} (expired) to {@code notify-keyspace-events}, keeping what is set, as
	 * Spring Session does. Where Redis refuses {@code CONFIG} (managed services), logs
	 * what the operator must set instead.
	 * @return the setting now in force, or empty when it could not be read or set
	 */
	public static Optional<String> enableNotifications(RedisConnectionFactory connections) {
		try (RedisConnection connection = connections.getConnection()) {
			Properties config = connection.serverCommands().getConfig(NOTIFY_KEYSPACE_EVENTS);
			String current = (config != null) ? config.getProperty(NOTIFY_KEYSPACE_EVENTS, "") : "";
			String wanted = withExpiredKeyEvents(current);
			if (!wanted.equals(current)) {
				connection.serverCommands().setConfig(NOTIFY_KEYSPACE_EVENTS, wanted);
			}
			return Optional.of(wanted);
		}
		catch (RuntimeException ex) {
			warnNotConfigured(ex);
			return Optional.empty();
		}
	}

	private static void enableNotifications(RedisClusterCommands<String, String> primary) {
		String current = primary.configGet(NOTIFY_KEYSPACE_EVENTS).getOrDefault(NOTIFY_KEYSPACE_EVENTS, "");
		String wanted = withExpiredKeyEvents(current);
		if (!wanted.equals(current)) {
			primary.configSet(NOTIFY_KEYSPACE_EVENTS, wanted);
		}
	}

	private static void warnNotConfigured(RuntimeException ex) {
		logger.warn("Could not make Redis notify expired keys ({}); sessions that expire get no audit event "
				+ "unless Redis's own configuration sets notify-keyspace-events to include Ex (then set "
				+ "vmcp.audit.expiry-events.configure-redis=false)", ex.getMessage());
	}

	private static String channel(int database) {
		return "__keyevent@" + database + "__:expired";
	}

	/** {@code flags} with {@code E} and {@code x} ({@code A} holds {@code x}). */
	static String withExpiredKeyEvents(String flags) {
		String wanted = flags;
		if (!wanted.contains("E")) {
			wanted += "E";
		}
		if (!wanted.contains("x") && !wanted.contains("A")) {
			wanted += "x";
		}
		return wanted;
	}

}
