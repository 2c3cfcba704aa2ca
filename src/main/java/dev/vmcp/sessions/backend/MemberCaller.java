package dev.vmcp.sessions.backend;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import org.jspecify.annotations.Nullable;

/**
 * The caller on whose behalf the current thread calls members: its owner binding and, in
 * JWT mode, the token it presented, which a token exchange trades for a member's own
 * token. The security layer binds it for the time of a request; the threads that work for
 * that request get it handed on ({@link #propagating(Runnable)},
 * {@link #propagating(ExecutorService)}). A thread without one works for nobody in
 * particular (the gateway's own upkeep). The token is kept in this pod's memory only, for
 * as long as the work it was presented for.
 *
 * @param owner the caller's owner binding
 * @param token the bearer token the caller presented, if any
 * @param tokenExpiresAt when that token expires, if it says
 */
public record MemberCaller(String owner, @Nullable String token, @Nullable Instant tokenExpiresAt) {

	private static final ThreadLocal<@Nullable MemberCaller> CURRENT = new ThreadLocal<>();

	/** The caller the current thread works for, if any. */
	public static Optional<MemberCaller> current() {
		return Optional.ofNullable(CURRENT.get());
	}

	/**
	 * Binds {@code caller} to the current thread until the returned binding is closed (in
	 * a {@code finally}), which restores what was bound before.
	 */
	public static Binding bind(@Nullable MemberCaller caller) {
		MemberCaller previous = CURRENT.get();
		CURRENT.set(caller);
		return () -> CURRENT.set(previous);
	}

	/** {@code work}, run for the caller the current thread works for now, wherever. */
	public static Runnable propagating(Runnable work) {
		MemberCaller caller = CURRENT.get();
		if (caller == null) {
			return work;
		}
		return () -> {
			Binding binding = bind(caller);
			try {
				work.run();
			}
			finally {
				binding.close();
			}
		};
	}

	/**
	 * A view of {@code executor} whose tasks work for the caller that submitted them.
	 * Shutting the view down shuts {@code executor} down.
	 */
	public static ExecutorService propagating(ExecutorService executor) {
		return new CallerPropagatingExecutor(executor);
	}

	/** Whether the caller presented a token that is still valid at {@code now}. */
	public boolean hasTokenValidAt(Instant now) {
		return this.token != null && (this.tokenExpiresAt == null || now.isBefore(this.tokenExpiresAt));
	}

	/** Never shows the token. */
	@Override
	public String toString() {
		return "MemberCaller[" + this.owner.substring(0, Math.min(12, this.owner.length())) + "…]";
	}

	/** A caller bound to a thread; closing it restores what was bound before. */
	@FunctionalInterface
	public interface Binding {

		void close();

	}

}
