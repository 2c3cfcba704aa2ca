package dev.vmcp.sessions.config;

import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Scheduler;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * One thread that tells the live-session cache when an idle entry's time is up and the
 * eviction watch when a record is due to be read again. It only hands each task on to its
 * executor, so no task holds up another; a cancelled task leaves its queue at once, so
 * that a watch given up costs nothing until its time. It is apart from the store's
 * deadline thread, whose queue then holds store deadlines alone.
 */
final class SessionTimer implements Scheduler, AutoCloseable {

	private final ScheduledThreadPoolExecutor timer;

	private final Scheduler scheduler;

	SessionTimer() {
		this.timer = new ScheduledThreadPoolExecutor(1, new CustomizableThreadFactory("session-timer-"));
		this.timer.setRemoveOnCancelPolicy(true);
		this.scheduler = Scheduler.forScheduledExecutorService(this.timer);
	}

	@Override
	public Future<?> schedule(Executor executor, Runnable command, long delay, TimeUnit unit) {
		return this.scheduler.schedule(executor, command, delay, unit);
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

}
