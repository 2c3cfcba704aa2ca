package dev.vmcp.sessions.mcp.bridge;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vmcp.sessions.backend.OpenAnswer;
import dev.vmcp.sessions.mcp.JsonRpc;

/**
 * Holds a member's answer stream for a parked call, on the pod that sent the call: what
 * the member sends next (notifications, its next question, the result) goes to the store
 * for whoever resumes the call, as it arrives. Bounded by the call's time in the store:
 * once the call is gone there (nobody answered in time, or the member took too long after
 * the answers), the stream is closed and the member told that the call was cancelled. A
 * pod that stops gives up what it holds with an error the resuming pod relays at once.
 * Thread-safe.
 */
public final class CallHolder {

	private static final Logger logger = LoggerFactory.getLogger(CallHolder.class);

	private static final Duration MARGIN = Duration.ofMillis(50);

	private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

	private final ParkedCalls calls;

	private final String key;

	private final OpenAnswer answer;

	private final Runnable cancelMember;

	private final JsonMapper json;

	private final CountDownLatch done = new CountDownLatch(1);

	private volatile boolean givenUp;

	/**
	 * @param cancelMember tells the member the call was cancelled
	 */
	private CallHolder(ParkedCalls calls, String key, OpenAnswer answer, Runnable cancelMember, JsonMapper json) {
		this.calls = calls;
		this.key = key;
		this.answer = answer;
		this.cancelMember = cancelMember;
		this.json = json;
	}

	/**
	 * Holds the rest of the member's answer to the call parked under {@code key}, in the
	 * background.
	 */
	public static void start(ParkedCalls calls, String key, OpenAnswer answer, Runnable cancelMember, JsonMapper json) {
		CallHolder holder = new CallHolder(calls, key, answer, cancelMember, json);
		calls.hold(holder);
		Thread.ofVirtual().name("parked-call-read").start(holder::read);
		Thread.ofVirtual().name("parked-call-watch").start(holder::watch);
	}

	private void read() {
		try {
			boolean answered = this.answer.relayTo((text, message) -> {
				if (!this.calls.append(this.key, text)) {
					giveUp("it is no longer parked");
				}
			});
			if (!answered && !this.givenUp) {
				handOver(JsonRpc.BACKEND_UNAVAILABLE,
						"Backend " + this.answer.member() + " broke off its answer to the call");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Parked call of backend {} could not be handed over: {}", this.answer.member(),
					ex.getMessage());
			giveUp("the store failed");
		}
		finally {
			this.done.countDown();
			this.calls.release(this);
		}
	}

	/** Ends the call here once it is gone from the store, looking when it would lapse. */
	private void watch() {
		Duration pause = this.calls.inputWait().plus(MARGIN);
		try {
			while (!this.done.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
				pause = RETRY_PAUSE;
				try {
					Optional<Duration> left = this.calls.remaining(this.key);
					if (left.isEmpty()) {
						giveUp("its time ran out");
						return;
					}
					pause = left.get().plus(MARGIN);
				}
				catch (RuntimeException ex) {
					logger.debug("Parked call not looked at: {}", ex.getMessage());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** This pod stops: whoever resumes the call learns at once that it is lost. */
	void podStopping() {
		if (this.done.getCount() == 0) {
			return;
		}
		this.givenUp = true;
		try {
			handOver(JsonRpc.BACKEND_UNAVAILABLE, "The gateway pod that held backend " + this.answer.member()
					+ "'s answer stream for this call stopped: the call is lost; send it again");
		}
		catch (RuntimeException ex) {
			logger.debug("Lost parked call not announced: {}", ex.getMessage());
		}
		giveUp("the pod stops");
	}

	/** The member's answer ends as an error of the gateway's, for whoever resumes. */
	private void handOver(int code, String message) {
		JsonNode callId = this.answer.callId();
		this.calls.append(this.key, this.json.writeValueAsString(JsonRpc.error(callId, code, message)));
	}

	private void giveUp(String why) {
		if (this.answer.isClosed() && this.givenUp) {
			return;
		}
		this.givenUp = true;
		logger.info("Parked call of backend {} ended: {}; the backend is told it was cancelled", this.answer.member(),
				why);
		this.answer.close();
		try {
			this.cancelMember.run();
		}
		catch (RuntimeException ex) {
			logger.debug("Backend {} not told of the cancellation: {}", this.answer.member(), ex.getMessage());
		}
	}

}
