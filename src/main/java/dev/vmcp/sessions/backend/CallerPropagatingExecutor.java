package dev.vmcp.sessions.backend;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor whose tasks work for the caller that submitted them (see
 * {@link MemberCaller#propagating(ExecutorService)}): the caller is captured when a task
 * is submitted, on the submitting thread.
 */
final class CallerPropagatingExecutor extends AbstractExecutorService {

	private final ExecutorService executor;

	CallerPropagatingExecutor(ExecutorService executor) {
		this.executor = executor;
	}

	@Override
	public void execute(Runnable command) {
		this.executor.execute(MemberCaller.propagating(command));
	}

	@Override
	public void shutdown() {
		this.executor.shutdown();
	}

	@Override
	public List<Runnable> shutdownNow() {
		return this.executor.shutdownNow();
	}

	@Override
	public boolean isShutdown() {
		return this.executor.isShutdown();
	}

	@Override
	public boolean isTerminated() {
		return this.executor.isTerminated();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		return this.executor.awaitTermination(timeout, unit);
	}

}
