package dev.vmcp.sessions.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link SessionStore} keeps; each implementation runs it by extending
 * this class.
 */
public abstract class SessionStoreContract extends TimePassingContract {

	protected static final String OWNER = "hmac:owner";

	/** The store under test, fresh for each test. */
	protected abstract SessionStore store();

	/** The idle TTL the store was built with. */
	protected abstract Duration idleTtl();

	protected SessionRecord newRecord(Duration lifetime) {
		return SessionRecord.pending(SessionId.generate(), now(), now().plus(lifetime), OWNER, List.of("alpha", "beta"),
				Map.of("team", "blue"));
	}

	protected SessionRecord newRecord() {
		return newRecord(Duration.ofHours(24));
	}

	@Test
	void createdRecordLoadsBackWithAllItsFields() {
		SessionRecord record = newRecord().activated(Map.of("alpha", new BackendHint("b-1", now())));
		assertThat(store().create(record)).isTrue();
		SessionRecord loaded = found(store().load(record.id()));
		assertThat(loaded).usingRecursiveComparison()
			.ignoringFields("lastAccess", "createdAt", "expiresAt", "hints")
			.isEqualTo(record);
		assertThat(loaded.hints().get("alpha").backendSessionId()).isEqualTo("b-1");
		assertThat(loaded.expiresAt().toEpochMilli()).isEqualTo(record.expiresAt().toEpochMilli());
	}

	@Test
	void createWithAnIdInUseIsRefusedAndKeepsTheFirstRecord() {
		SessionRecord first = newRecord();
		store().create(first);
		SessionRecord second = first.withMetadata(Map.of("team", "red"));
		assertThat(store().create(second)).isFalse();
		assertThat(found(store().load(first.id())).metadata()).containsEntry("team", "blue");
	}

	@Test
	void loadOfAnUnknownIdIsAbsent() {
		assertThat(store().load(SessionId.generate())).isInstanceOf(LoadResult.Absent.class);
	}

	@Test
	void updateAtTheExpectedVersionIsApplied() {
		SessionRecord record = newRecord();
		store().create(record);
		SessionRecord next = record.withMetadata(Map.of("team", "green")).successor(now());
		assertThat(store().update(next, record.version())).isEqualTo(UpdateOutcome.UPDATED);
		SessionRecord loaded = found(store().load(record.id()));
		assertThat(loaded.version()).isEqualTo(record.version() + 1);
		assertThat(loaded.metadata()).containsEntry("team", "green");
	}

	@Test
	void updateAtAStaleVersionConflictsAndChangesNothing() {
		SessionRecord record = newRecord();
		store().create(record);
		store().update(record.successor(now()), record.version());
		SessionRecord stale = record.withMetadata(Map.of("team", "stale")).successor(now());
		assertThat(store().update(stale, record.version())).isEqualTo(UpdateOutcome.CONFLICT);
		assertThat(found(store().load(record.id())).metadata()).containsEntry("team", "blue");
	}

	@Test
	void updateOfAnAbsentRecordNeverCreatesIt() {
		SessionRecord record = newRecord();
		assertThat(store().update(record.successor(now()), record.version())).isEqualTo(UpdateOutcome.ABSENT);
		assertThat(store().load(record.id())).isInstanceOf(LoadResult.Absent.class);
	}

	@Test
	void updateAfterTerminateIsRejectedAndDoesNotResurrectTheSession() {
		SessionRecord record = newRecord();
		store().create(record);
		assertThat(store().terminate(record.id(), OWNER)).isPresent();
		assertThat(store().update(record.successor(now()), record.version())).isEqualTo(UpdateOutcome.TERMINATED);
		assertThat(store().load(record.id())).isEqualTo(new LoadResult.Terminated(OWNER));
	}

	@Test
	void terminateReturnsTheReplacedRecordOnceAndIsIdempotent() {
		SessionRecord record = newRecord().activated(Map.of("alpha", new BackendHint("b-1", now())));
		store().create(record);
		assertThat(store().terminate(record.id(), OWNER)).hasValueSatisfying(
				(replaced) -> assertThat(replaced.hints().get("alpha").backendSessionId()).isEqualTo("b-1"));
		assertThat(store().terminate(record.id(), OWNER)).isEmpty();
		assertThat(store().load(record.id())).isEqualTo(new LoadResult.Terminated(OWNER));
	}

	@Test
	void terminateOfAnUnknownIdLeavesATombstoneThatBlocksCreate() {
		SessionRecord record = newRecord();
		assertThat(store().terminate(record.id(), OWNER)).isEmpty();
		assertThat(store().create(record)).isFalse();
		assertThat(store().load(record.id())).isInstanceOf(LoadResult.Terminated.class);
	}

	@Test
	void loadSlidesTheIdleTtl() {
		SessionRecord record = newRecord();
		store().create(record);
		Duration mostOfTheTtl = idleTtl().multipliedBy(6).dividedBy(10);
		passTime(mostOfTheTtl);
		assertThat(store().load(record.id())).isInstanceOf(LoadResult.Found.class);
		passTime(mostOfTheTtl);
		assertThat(store().load(record.id())).isInstanceOf(LoadResult.Found.class);
	}

	@Test
	void updateMadeForAnEarlierSessionOfTheIdConflictsAndChangesNothing() {
		// A caller session's id is derived: once a record expires, a new session may take
		// the id at the same version, and a late write for the one that ended must miss.
		SessionRecord ended = newRecord();
		store().create(ended);
		passTime(idleTtl().multipliedBy(12).dividedBy(10));
		SessionRecord later = SessionRecord.pending(ended.id(), now(), now().plus(Duration.ofHours(24)), OWNER,
				List.of("alpha"), Map.of("team", "later"));
		assertThat(store().create(later)).isTrue();
		assertThat(later.incarnation()).isNotEqualTo(ended.incarnation());
		SessionRecord late = ended.withMetadata(Map.of("team", "late")).successor(now());
		assertThat(store().update(late, ended.version())).isEqualTo(UpdateOutcome.CONFLICT);
		assertThat(found(store().load(ended.id())).metadata()).containsEntry("team", "later");
	}

	@Test
	void recordIsAbsentOnceTheIdleTtlHasPassed() {
		SessionRecord record = newRecord();
		store().create(record);
		passTime(idleTtl().multipliedBy(12).dividedBy(10));
		assertThat(store().load(record.id())).isInstanceOf(LoadResult.Absent.class);
		assertThat(store().update(record.successor(now()), record.version())).isEqualTo(UpdateOutcome.ABSENT);
	}

	@Test
	void recordIsAbsentAfterItsMaximumLifetimeHoweverActiveItIs() {
		SessionRecord record = newRecord(idleTtl().multipliedBy(3).dividedBy(2));
		store().create(record);
		Duration step = idleTtl().dividedBy(2);
		passTime(step);
		assertThat(store().load(record.id())).isInstanceOf(LoadResult.Found.class);
		passTime(step);
		assertThat(store().load(record.id())).isInstanceOf(LoadResult.Found.class);
		passTime(step.plus(idleTtl().dividedBy(10)));
		assertThat(store().load(record.id())).isInstanceOf(LoadResult.Absent.class);
	}

	@Test
	void aStrangersLoadSeesTheRecordButNeitherSlidesItsTtlNorRecordsAnAccess() {
		SessionRecord record = newRecord();
		store().create(record);
		Duration mostOfTheTtl = idleTtl().multipliedBy(6).dividedBy(10);
		passTime(mostOfTheTtl);
		SessionRecord seen = found(store().load(record.id(), "hmac:stranger"));
		assertThat(seen.owner()).isEqualTo(OWNER);
		assertThat(seen.lastAccess().toEpochMilli()).isEqualTo(record.lastAccess().toEpochMilli());
		passTime(mostOfTheTtl);
		assertThat(store().load(record.id(), OWNER)).isInstanceOf(LoadResult.Absent.class);
	}

	@Test
	void theOwnersLoadSlidesTheTtl() {
		SessionRecord record = newRecord();
		store().create(record);
		Duration mostOfTheTtl = idleTtl().multipliedBy(6).dividedBy(10);
		passTime(mostOfTheTtl);
		assertThat(store().load(record.id(), OWNER)).isInstanceOf(LoadResult.Found.class);
		passTime(mostOfTheTtl);
		assertThat(store().load(record.id(), OWNER)).isInstanceOf(LoadResult.Found.class);
	}

	@Test
	void loadRecordsTheLastAccess() {
		SessionRecord record = newRecord();
		store().create(record);
		passTime(idleTtl().dividedBy(4));
		Instant accessed = now();
		assertThat(found(store().load(record.id())).lastAccess().toEpochMilli())
			.isGreaterThanOrEqualTo(accessed.toEpochMilli());
	}

	protected static SessionRecord found(LoadResult result) {
		assertThat(result).isInstanceOf(LoadResult.Found.class);
		return ((LoadResult.Found) result).record();
	}

}
