package dev.vmcp.sessions.testsupport;

/**
 * Holds requests while a {@link McpBackendServer} is told to hang. Thread-safe.
 */
final class HangGate {

	private final Object monitor = new Object();

	private boolean hanging;

	void hang(boolean hang) {
		synchronized (this.monitor) {
			this.hanging = hang;
			this.monitor.notifyAll();
		}
	}

	boolean isHanging() {
		synchronized (this.monitor) {
			return this.hanging;
		}
	}

	void awaitPassage() throws InterruptedException {
		synchronized (this.monitor) {
			while (this.hanging) {
				this.monitor.wait();
			}
		}
	}

}
