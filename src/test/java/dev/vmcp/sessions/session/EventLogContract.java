package dev.vmcp.sessions.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link EventLog} keeps; each implementation runs it by extending
 * this class, built with {@link #MAX_EVENTS} and the window it reports.
 */
public abstract class EventLogContract extends TimePassingContract {

	protected static final int MAX_EVENTS = 3;

	/** The log under test, fresh for each test. */
	protected abstract EventLog log();

	/** How long the log keeps a stream after its last event. */
	protected abstract Duration window();

	private final SessionId session = SessionId.generate();

	@Test
	void eventsAfterASequenceComeBackOldestFirstWithWhatTheyCarried() {
		append("r1", 0, "", false);
		append("r1", 1, "{\"a\":1}", false);
		append("r1", 2, "{\"b\":2}", true);

		assertThat(after("r1", 0))
			.contains(List.of(new StreamEvent(1, "{\"a\":1}", false), new StreamEvent(2, "{\"b\":2}", true)));
		assertThat(after("r1", 1)).contains(List.of(new StreamEvent(2, "{\"b\":2}", true)));
	}

	@Test
	void aKnownStreamWithNothingNewIsEmptyNotUnknown() {
		append("r1", 0, "", false);

		assertThat(after("r1", 0)).contains(List.of());
	}

	@Test
	void aStreamNobodyWroteIsUnknown() {
		assertThat(after("r-never", 0)).isEmpty();
	}

	@Test
	void aStreamIsFoundThroughItsOwnSessionOnly() {
		append("r1", 1, "{}", false);

		assertThat(await(log().after(SessionId.generate(), "r1", 0))).isEmpty();
	}

	@Test
	void streamsOfOneSessionAreKeptApart() {
		append("r1", 1, "{\"stream\":1}", false);
		append("r2", 1, "{\"stream\":2}", false);

		assertThat(after("r2", 0)).contains(List.of(new StreamEvent(1, "{\"stream\":2}", false)));
	}

	@Test
	void onlyTheNewestEventsAreKeptBeyondTheMost() {
		for (int sequence = 0; sequence <= MAX_EVENTS + 1; sequence++) {
			append("r1", sequence, "{\"n\":" + sequence + "}", false);
		}

		assertThat(after("r1", 0).orElseThrow()).extracting(StreamEvent::sequence).containsExactly(2L, 3L, 4L);
	}

	@Test
	void aStreamIsForgottenOnceTheWindowHasPassedSinceItsLastEvent() {
		append("r1", 0, "", false);
		passTime(window().multipliedBy(3).dividedBy(5));
		append("r1", 1, "{}", true);
		passTime(window().multipliedBy(3).dividedBy(5));

		assertThat(after("r1", 0)).as("kept for a window after the last event").isPresent();

		passTime(window().multipliedBy(3).dividedBy(5));

		assertThat(after("r1", 0)).isEmpty();
	}

	private void append(String stream, long sequence, String data, boolean last) {
		await(log().append(this.session, stream, new StreamEvent(sequence, data, last)));
	}

	private Optional<List<StreamEvent>> after(String stream, long sequence) {
		return await(log().after(this.session, stream, sequence));
	}

	private static <T> T await(java.util.concurrent.CompletionStage<T> call) {
		return call.toCompletableFuture().join();
	}

}
