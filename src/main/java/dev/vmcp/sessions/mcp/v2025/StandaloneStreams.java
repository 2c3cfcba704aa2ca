package dev.vmcp.sessions.mcp.v2025;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vmcp.sessions.backend.BackendConnection;
import dev.vmcp.sessions.backend.BackendMessenger;
import dev.vmcp.sessions.backend.BackendStream;
import dev.vmcp.sessions.backend.BackendUnavailableException;
import dev.vmcp.sessions.backend.MemberCaller;
import dev.vmcp.sessions.backend.StreamListener;
import dev.vmcp.sessions.backend.StreamRefusal;
import dev.vmcp.sessions.mcp.ClientStream;
import dev.vmcp.sessions.mcp.McpMetrics;
import dev.vmcp.sessions.mcp.McpSignals;
import dev.vmcp.sessions.mcp.Members;
import dev.vmcp.sessions.mcp.ReopenPauses;
import dev.vmcp.sessions.session.Abbreviated;
import dev.vmcp.sessions.session.SessionId;

/**
 * The client's standalone {@code GET} streams held by this pod. The pod holding the
 * client's stream holds the members' streams too, so that what members send outside any
 * request (list changes, resource updates, log messages, their own requests) reaches the
 * client. Members commonly allow one such stream per session, so at most one pod holds
 * them: a pod taking the client's stream tells the others, which let go of theirs, and
 * retries a member that still refuses (409) until the hand-over is done. A member's
 * stream that ends or fails while the client's is open is opened again, after a pause
 * that grows while the member stays away; a member that lost its session (404) is
 * initialized again first. A member's stream is released when the client's goes away. A
 * 2026-07-28 member has no such stream: its {@code subscriptions/listen} takes its place
 * ({@link MemberListens}), held alike. Thread-safe.
 */
final class StandaloneStreams {

	private static final Logger logger = LoggerFactory.getLogger(StandaloneStreams.class);

	private static final Duration CLAIM_RETRY_PAUSE = Duration.ofMillis(50);

	private static final Duration FIRST_REOPEN_PAUSE = Duration.ofSeconds(1);

	private final ConcurrentMap<SessionId, ClientStream> held = new ConcurrentHashMap<>();

	private final Members members;

	private final BackendMessenger messenger;

	private final MemberMessages memberMessages;

	private final McpSignals signals;

	private final McpMetrics metrics;

	private final Duration keepAlive;

	private final Duration handoverTimeout;

	private final ResumableStreams resumable;

	private final MemberListens listens;

	StandaloneStreams(Members members, BackendMessenger messenger, MemberMessages memberMessages, McpSignals signals,
			McpMetrics metrics, Duration keepAlive, Duration handoverTimeout, ResumableStreams resumable,
			MemberListens listens) {
		this.listens = listens;
		this.resumable = resumable;
		this.members = members;
		this.messenger = messenger;
		this.memberMessages = memberMessages;
		this.signals = signals;
		this.metrics = metrics;
		this.keepAlive = keepAlive;
		this.handoverTimeout = handoverTimeout;
		signals.onStreamClaimed(this::releaseUnless);
	}

	/**
	 * Serves the client's stream on the calling thread until the client goes away, the
	 * session ends here, or another pod takes the stream over.
	 */
	void serve(SessionContext context, HttpServletResponse response) {
		serve(context, response, List.of());
	}

	/**
	 * Serves the client's stream as {@link #serve(SessionContext, HttpServletResponse)}
	 * does, sending {@code replayed} first: the events a client that resumed its stream
	 * missed.
	 */
	void serve(SessionContext context, HttpServletResponse response, List<String> replayed) {
		ClientStream stream = new ClientStream(UUID.randomUUID().toString(), response,
				this.resumable.forStandalone(context));
		ClientStream previous = this.held.put(context.id(), stream);
		if (previous != null) {
			previous.close();
		}
		this.signals.streamClaimed(context.id(), stream.id());
		this.metrics.clientStreamOpened();
		List<BackendStream> memberStreams = new CopyOnWriteArrayList<>();
		MemberListens.@Nullable Held listens = null;
		try {
			stream.open();
			replayed.forEach(stream::send);
			Instant giveUp = Instant.now().plus(this.handoverTimeout);
			for (String member : context.session().record().backends()) {
				openMemberStream(new MemberStreamListener(context, member, stream, memberStreams, giveUp));
			}
			listens = this.listens.open(context, stream);
			while (stream.awaitClose(this.keepAlive)) {
				if (context.session().live().isClosed()) {
					// Terminated, or dropped from this pod's cache: the client
					// reconnects.
					break;
				}
				stream.keepAlive();
			}
		}
		finally {
			stream.close();
			memberStreams.forEach(BackendStream::close);
			if (listens != null) {
				listens.close();
			}
			this.held.remove(context.id(), stream);
			this.metrics.clientStreamClosed();
		}
	}

	/** Ends the client's stream of a session terminated through this pod. */
	void end(SessionId id) {
		ClientStream stream = this.held.get(id);
		if (stream != null) {
			stream.close();
		}
	}

	/**
	 * Ends every client stream this pod holds (shutting down): each client opens its
	 * stream again on another pod.
	 */
	void endAll() {
		this.held.values().forEach(ClientStream::close);
	}

	private void releaseUnless(SessionId id, String claimingStreamId) {
		ClientStream stream = this.held.get(id);
		if (stream != null && !stream.id().equals(claimingStreamId)) {
			logger.debug("Standalone stream of session {} taken over by another pod", Abbreviated.of(id));
			stream.close();
		}
	}

	/**
	 * Opens a member's stream in the background; {@code listener} hears how it goes and
	 * opens it again when needed.
	 */
	private void openMemberStream(MemberStreamListener listener) {
		ClientStream stream = listener.stream;
		if (stream.isClosed()) {
			return;
		}
		try {
			BackendConnection connection = this.members.connection(listener.context, listener.member);
			if (connection.isStateless()) {
				// A 2026-07-28 member has none: it is listened to (MemberListens).
				return;
			}
			listener.connection = connection;
			BackendStream memberStream = this.messenger.openStream(this.members.definition(listener.member), connection,
					(text, message) -> stream
						.message(this.memberMessages.forClient(listener.context, listener.member, text, message)),
					listener);
			listener.memberStreams.removeIf(BackendStream::isClosed);
			listener.memberStreams.add(memberStream);
			if (stream.isClosed()) {
				memberStream.close();
			}
		}
		catch (BackendUnavailableException ex) {
			logger.warn("Stream of backend {} for session {} not opened: {}", listener.member,
					listener.context.shortId(), ex.getMessage());
			listener.reopenLater();
		}
	}

	/**
	 * Follows one member's stream for one client stream: counts it while open, asks again
	 * while another pod lets go (409), and opens it again when it ends or fails while the
	 * client's stream is open.
	 */
	private final class MemberStreamListener implements StreamListener {

		private final SessionContext context;

		private final String member;

		private final ClientStream stream;

		private final List<BackendStream> memberStreams;

		private final Instant giveUp;

		private volatile @Nullable BackendConnection connection;

		private final ReopenPauses pauses = new ReopenPauses(FIRST_REOPEN_PAUSE);

		private volatile Instant openedAt = Instant.MIN;

		MemberStreamListener(SessionContext context, String member, ClientStream stream,
				List<BackendStream> memberStreams, Instant giveUp) {
			this.context = context;
			this.member = member;
			this.stream = stream;
			this.memberStreams = memberStreams;
			this.giveUp = giveUp;
		}

		@Override
		public void opened() {
			this.openedAt = Instant.now();
			StandaloneStreams.this.metrics.backendStreamOpened();
		}

		@Override
		public void ended() {
			StandaloneStreams.this.metrics.backendStreamClosed();
			logger.debug("Backend {} ended its stream of session {}", this.member, this.context.shortId());
			// A stream that lasted is opened again soon; one ended at once (a
			// backend with nothing to push, say) waits longer each time
			if (this.openedAt.plus(ReopenPauses.LONGEST).isBefore(Instant.now())) {
				this.pauses.reset();
			}
			reopenLater();
		}

		@Override
		public void refused(StreamRefusal reason) {
			switch (reason) {
				case CONFLICT -> {
					if (Instant.now().isBefore(this.giveUp)) {
						after(CLAIM_RETRY_PAUSE, () -> openMemberStream(this));
					}
					else {
						logger.info("Backend {} keeps the stream of session {} elsewhere", this.member,
								this.context.shortId());
					}
				}
				case SESSION_LOST -> reconnectAndReopen();
				case FAILED -> reopenLater();
				case UNSUPPORTED -> logger.debug("Backend {} offers no standalone stream", this.member);
			}
		}

		/** Opens the stream again after a pause, doubled each time up to the longest. */
		void reopenLater() {
			this.pauses.reopenLater(this.stream, "backend-stream-reopen", () -> openMemberStream(this));
		}

		private void reconnectAndReopen() {
			BackendConnection lost = this.connection;
			if (this.stream.isClosed() || lost == null) {
				return;
			}
			try {
				StandaloneStreams.this.members.reconnect(this.context, this.member, lost);
				openMemberStream(this);
			}
			catch (RuntimeException ex) {
				logger.warn("Backend {} lost the stream of session {} and could not be initialized again: {}",
						this.member, this.context.shortId(), ex.getMessage());
				reopenLater();
			}
		}

		private static void after(Duration pause, Runnable action) {
			// Opened again for the same caller, with its token
			Thread.ofVirtual().name("backend-stream-reopen").start(MemberCaller.propagating(() -> {
				try {
					Thread.sleep(pause);
					action.run();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		}

	}

}
