package dev.vmcp.sessions.testsupport;

/**
 * Closes what a test started, all of it: one that fails to close (or was never started)
 * does not keep the others open.
 */
public final class Closing {

	private Closing() {
	}

	/** Closes each in turn, skipping nulls and carrying on past failures. */
	public static void all(AutoCloseable... closeables) {
		for (AutoCloseable closeable : closeables) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// keep closing the rest
			}
		}
	}

}
