package dev.vmcp.sessions.mcp.bridge;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.timelimiter.TimeLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmcp.sessions.session.ParkedCallStore;
import dev.vmcp.sessions.session.ParkedCallStore.Claim;
import dev.vmcp.sessions.session.PodBroadcasts;
import dev.vmcp.sessions.session.SessionId;
import dev.vmcp.sessions.session.TimedCalls;

/**
 * The calls parked in the store while their members wait for the client, as every pod
 * sees them: parking, resuming a round once, queueing what the member sends next and
 * waiting for it on whichever pod resumed the call (woken by pub/sub, with a poll as the
 * fallback), and the liveness of the pods that hold the members' answer streams. Every
 * store call has its own deadline (the {@value #TIME_LIMITER} time limiter): a store
 * outage is a clear {@code StoreUnavailableException}, never a hang. Thread-safe.
 */
public final class ParkedCalls implements AutoCloseable {

	/**
	 * TimeLimiter instance name, configurable under resilience4j.timelimiter.instances.
	 */
	public static final String TIME_LIMITER = "parked-call";

	static final String WAKE_TOPIC = "mcp-parked";

	/** How often a pod holding calls says it is alive. */
	static final Duration HEARTBEAT = Duration.ofSeconds(1);

	/** How long after its last heartbeat a pod counts as gone. */
	static final Duration ALIVE_FOR = Duration.ofSeconds(4);

	/** How long a waiter waits for a wake-up before it looks by itself. */
	private static final Duration POLL = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(ParkedCalls.class);

	private static final Base64.Encoder KEYS = Base64.getUrlEncoder().withoutPadding();

	private final ParkedCallStore store;

	private final TimedCalls timed;

	private final TimeLimiter limiter;

	private final PodBroadcasts broadcasts;

	private final Duration inputWait;

	private final String pod = UUID.randomUUID().toString();

	private final SecureRandom random = new SecureRandom();

	private final Map<String, Semaphore> waiters = new ConcurrentHashMap<>();

	private final Set<CallHolder> held = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService heartbeat = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("parked-call-heartbeat").factory());

	/**
	 * @param inputWait how long a parked call waits for the client's answers
	 */
	public ParkedCalls(ParkedCallStore store, TimedCalls timed, TimeLimiter limiter, PodBroadcasts broadcasts,
			Duration inputWait) {
		this.store = store;
		this.timed = timed;
		this.limiter = limiter;
		this.broadcasts = broadcasts;
		this.inputWait = inputWait;
		broadcasts.subscribe(WAKE_TOPIC, (key, detail) -> wake(key.value()));
		this.heartbeat.scheduleAtFixedRate(this::beatWhileHolding, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/** This pod, as parked calls name their holder. */
	public String pod() {
		return this.pod;
	}

	/** How long a parked call waits for the client's answers. */
	public Duration inputWait() {
		return this.inputWait;
	}

	/** A new unguessable key to park a call under. */
	public String newKey() {
		byte[] bytes = new byte[24];
		this.random.nextBytes(bytes);
		return "pk-" + KEYS.encodeToString(bytes);
	}

	/**
	 * Parks a call held by this pod, for {@link #inputWait()}.
	 * @throws dev.vmcp.sessions.session.StoreUnavailableException when the store does not
	 * answer in time
	 */
	public void park(String key, ParkedCall call) {
		this.timed.await(this.limiter, "parked-call-beat", () -> this.store.beat(this.pod, ALIVE_FOR));
		if (!this.timed.await(this.limiter, "parked-call-park",
				() -> this.store.park(key, call.fields(), this.inputWait))) {
			throw new IllegalStateException("Park key collision");
		}
	}

	/**
	 * Resumes round {@code round} of a parked call, once; the call then has {@code ttl}
	 * for its member to send what comes next.
	 * @return the call, or why it cannot be resumed
	 */
	public Resumed claim(String key, long round, Duration ttl) {
		Claim claim = this.timed.await(this.limiter, "parked-call-claim", () -> this.store.claim(key, round, ttl));
		return switch (claim) {
			case Claim.Claimed claimed -> new Resumed.Call(ParkedCall.of(claimed.fields()));
			case Claim.Gone gone -> new Resumed.Gone();
			case Claim.Taken taken -> new Resumed.Taken();
		};
	}

	/**
	 * Queues a message for whoever waits on the call, and wakes it: what the member sent
	 * next, for the pod that resumes the call; or a client's answer, for the pod that
	 * holds the client's stream.
	 * @return false when the call is gone (the message is dropped)
	 */
	public boolean append(String key, String message) {
		boolean appended = this.timed.await(this.limiter, "parked-call-append", () -> this.store.append(key, message));
		if (appended) {
			this.broadcasts.publish(WAKE_TOPIC, new SessionId(key), "");
		}
		return appended;
	}

	/** How long the call has left, empty when it is gone. */
	Optional<Duration> remaining(String key) {
		return this.timed.await(this.limiter, "parked-call-remaining", () -> this.store.remaining(key));
	}

	/** The client was asked again: the call waits {@link #inputWait()} from now. */
	public void waitForClient(String key) {
		this.timed.await(this.limiter, "parked-call-extend", () -> this.store.extend(key, this.inputWait));
	}

	/** The call ended: nothing of it stays in the store. */
	public void end(String key) {
		this.timed.await(this.limiter, "parked-call-end", () -> this.store.end(key));
	}

	/**
	 * The next message the member sent, taken from the store once it is there (each is
	 * taken once), waiting at most {@code within}; a holder that stopped saying it is
	 * alive lost the call.
	 */
	public Next next(String key, String holder, Duration within) {
		Semaphore wake = new Semaphore(0);
		this.waiters.put(key, wake);
		try {
			long deadline = System.nanoTime() + within.toNanos();
			while (true) {
				Optional<String> message = take(key);
				if (message.isPresent()) {
					return new Next.Message(message.get());
				}
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return new Next.TimedOut();
				}
				if (!wake.tryAcquire(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS) && !alive(holder)) {
					// It may have queued its last message just before it went.
					return take(key).<Next>map(Next.Message::new).orElseGet(Next.HolderLost::new);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Next.TimedOut();
		}
		finally {
			this.waiters.remove(key, wake);
		}
	}

	private Optional<String> take(String key) {
		return this.timed.await(this.limiter, "parked-call-take", () -> this.store.take(key));
	}

	private boolean alive(String holder) {
		if (holder.equals(this.pod)) {
			return true;
		}
		return this.timed.await(this.limiter, "parked-call-alive", () -> this.store.alive(holder));
	}

	void hold(CallHolder holder) {
		this.held.add(holder);
	}

	void release(CallHolder holder) {
		this.held.remove(holder);
	}

	/** How many members' answer streams this pod holds for parked calls. */
	public int held() {
		return this.held.size();
	}

	private void wake(String key) {
		Semaphore waiter = this.waiters.get(key);
		if (waiter != null) {
			waiter.release();
		}
	}

	private void beatWhileHolding() {
		if (this.held.isEmpty()) {
			return;
		}
		try {
			this.timed.await(this.limiter, "parked-call-beat", () -> this.store.beat(this.pod, ALIVE_FOR));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not tell the store this pod holds {} parked calls: {}", this.held.size(),
					ex.getMessage());
		}
	}

	/**
	 * This pod stops: each call it holds is lost, and the pod resuming it says so at once
	 * rather than when the heartbeat lapses.
	 */
	@Override
	public void close() {
		this.held.forEach(CallHolder::podStopping);
		this.heartbeat.shutdownNow();
	}

	/** How an attempt to resume a round fared. */
	public sealed interface Resumed {

		/** The round is the caller's; the call's member and holder. */
		record Call(ParkedCall call) implements Resumed {
		}

		/** The call is no longer parked: its time lapsed, or it ended. */
		record Gone() implements Resumed {
		}

		/** An earlier retry resumed that round already. */
		record Taken() implements Resumed {
		}

	}

	/** What a resumed call's waiter got. */
	public sealed interface Next {

		/** The next message the member sent, as it sent it. */
		record Message(String text) implements Next {
		}

		/** The pod that held the member's answer stream is gone; so is the call. */
		record HolderLost() implements Next {
		}

		/** Nothing came in time. */
		record TimedOut() implements Next {
		}

	}

}
