package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A store that lets a test stop one chosen call just before it reaches the real store, so
 * that the test decides the interleaving of concurrent operations; it can also make calls
 * slow. Everything else passes straight through to the wrapped store.
 */
final class PausingSessionStore implements SessionStore {

	enum Operation {

		CREATE, LOAD, UPDATE, TERMINATE

	}

	private final SessionStore delegate;

	private final Map<Operation, Pause> pauses = new ConcurrentHashMap<>();

	private final Map<Operation, Duration> delays = new ConcurrentHashMap<>();

	PausingSessionStore(SessionStore delegate) {
		this.delegate = delegate;
	}

	/** The next call of {@code operation} (on any thread) stops until released. */
	Pause pauseNext(Operation operation) {
		Pause pause = new Pause();
		this.pauses.put(operation, pause);
		return pause;
	}

	/** Every call of {@code operation} takes at least {@code delay}. */
	void delay(Operation operation, Duration delay) {
		this.delays.put(operation, delay);
	}

	void clearDelays() {
		this.delays.clear();
	}

	@Override
	public boolean create(SessionRecord record) {
		intercept(Operation.CREATE);
		return this.delegate.create(record);
	}

	@Override
	public LoadResult load(SessionId id, String reader) {
		intercept(Operation.LOAD);
		return this.delegate.load(id, reader);
	}

	@Override
	public UpdateOutcome update(SessionRecord next, long expectedVersion) {
		intercept(Operation.UPDATE);
		return this.delegate.update(next, expectedVersion);
	}

	@Override
	public Optional<SessionRecord> terminate(SessionId id, String owner) {
		intercept(Operation.TERMINATE);
		return this.delegate.terminate(id, owner);
	}

	private void intercept(Operation operation) {
		Pause pause = this.pauses.remove(operation);
		if (pause != null) {
			pause.block();
		}
		Duration delay = this.delays.get(operation);
		if (delay != null) {
			sleep(delay);
		}
	}

	private static void sleep(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** One paused call: the test waits for it to arrive, then lets it go on. */
	static final class Pause {

		private final CountDownLatch arrived = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		void awaitArrival() throws InterruptedException {
			if (!this.arrived.await(10, TimeUnit.SECONDS)) {
				throw new AssertionError("The paused call never arrived");
			}
		}

		void release() {
			this.released.countDown();
		}

		private void block() {
			this.arrived.countDown();
			try {
				if (!this.released.await(10, TimeUnit.SECONDS)) {
					throw new AssertionError("The paused call was never released");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
