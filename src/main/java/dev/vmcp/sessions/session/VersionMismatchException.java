package dev.vmcp.sessions.session;

/**
 * A conditional change ({@code If-Match}) was based on a version that is no longer
 * current.
 */
public class VersionMismatchException extends RuntimeException {

	private final long currentVersion;

	public VersionMismatchException(long expectedVersion, long currentVersion) {
		super("Session is at version " + currentVersion + ", not " + expectedVersion);
		this.currentVersion = currentVersion;
	}

	public long currentVersion() {
		return this.currentVersion;
	}

}
